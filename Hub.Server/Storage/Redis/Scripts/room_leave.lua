-- Removes a user from a room's members (the room's partition). KEYS[1]: the room hash.
-- ARGV: 1 partition base, 2 room, 3 user. Returns 1 (was a member) | 0 | 'notfound'.
if redis.call('EXISTS', KEYS[1]) == 0 then return 'notfound' end
return redis.call('SREM', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
