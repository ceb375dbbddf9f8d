-- Records a room in a user's rooms (the user's partition) with the position its devices read it from, unless the
-- user is in the most rooms allowed; when creating, also reserves one of the rooms the user may own.
-- KEYS[1]: the user's rooms hash. ARGV: 1 partition base, 2 user, 3 room, 4 position, 5 most rooms,
-- 6 owns it (1/0), 7 most owned rooms. Returns 'ok' | 'already' | 'toomany' | 'owned'.
local base, user, room = ARGV[1], ARGV[2], ARGV[3]
if redis.call('HEXISTS', KEYS[1], room) == 1 then return 'already' end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[5]) then return 'toomany' end
if ARGV[6] == '1' then
  if redis.call('SCARD', base .. 'owned:' .. user) >= tonumber(ARGV[7]) then return 'owned' end
  redis.call('SADD', base .. 'owned:' .. user, room)
end
redis.call('HSET', KEYS[1], room, ARGV[4])
return 'ok'
