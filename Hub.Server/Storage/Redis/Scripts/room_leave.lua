-- Removes a user from a room. ARGV: 1 base, 2 room, 3 user. Returns 1 (was a member) | 0 | 'notfound'.
local base, room, user = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', base .. 'room:' .. room) == 0 then return 'notfound' end
redis.call('SREM', base .. 'user-rooms:' .. user, room)
return redis.call('SREM', base .. 'members:' .. room, user)
