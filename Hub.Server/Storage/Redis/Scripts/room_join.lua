-- Adds a user to a room (creating it first when asked), enforcing the membership limits atomically.
-- ARGV: 1 base, 2 room, 3 user, 4 now (ms), 5 max rooms per user, 6 max members per room, 7 create if missing (1/0),
-- 8 max owned rooms per user, 9 max rooms per namespace (both checked only when creating).
-- Returns {'ok', owner, created, added (1/0), members...} | {'notfound'} | {'toomany'} | {'full'} | {'owned'} | {'nsfull'}.
local base, room, user = ARGV[1], ARGV[2], ARGV[3]
local key = base .. 'room:' .. room
local members = base .. 'members:' .. room
local added = 0
if redis.call('EXISTS', key) == 0 then
  if ARGV[7] ~= '1' then return {'notfound'} end
  if redis.call('SCARD', base .. 'user-rooms:' .. user) >= tonumber(ARGV[5]) then return {'toomany'} end
  if redis.call('SCARD', base .. 'owned:' .. user) >= tonumber(ARGV[8]) then return {'owned'} end
  if redis.call('ZCARD', base .. 'room-names') >= tonumber(ARGV[9]) then return {'nsfull'} end
  redis.call('HSET', key, 'owner', user, 'created', ARGV[4], 'seq', 0)
  redis.call('ZADD', base .. 'room-names', 0, room)
  redis.call('SADD', base .. 'owned:' .. user, room)
  redis.call('SADD', members, user)
  redis.call('SADD', base .. 'user-rooms:' .. user, room)
  added = 1
elseif redis.call('SISMEMBER', members, user) == 0 then
  if redis.call('SCARD', base .. 'user-rooms:' .. user) >= tonumber(ARGV[5]) then return {'toomany'} end
  if redis.call('SCARD', members) >= tonumber(ARGV[6]) then return {'full'} end
  redis.call('SADD', members, user)
  redis.call('SADD', base .. 'user-rooms:' .. user, room)
  added = 1
end
local info = redis.call('HMGET', key, 'owner', 'created')
local result = {'ok', info[1], info[2], added}
for _, member in ipairs(redis.call('SMEMBERS', members)) do result[#result + 1] = member end
return result
