-- Removes a user from a room's members (the room's partition). KEYS[1]: the room hash.
-- ARGV: 1 partition base, 2 room, 3 user. Returns 1 (was a member) | 0 | 'notfound'.
if redis.call('EXISTS', KEYS[1]) == 0 then return 'notfound' end
-- How far the user read goes with the membership: joining again starts from the join position.
redis.call('HDEL', KEYS[1], 'read:' .. ARGV[3])
return redis.call('SREM', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
