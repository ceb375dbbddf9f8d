-- Removes a user from a room's members and admins (the room's partition); a private room is 'notfound' to a
-- non-member (lib_room.lua). KEYS[1]: the room hash. ARGV: 1 partition base, 2 room, 3 user.
-- Returns 1 (was a member) | 0 | 'notfound'.
if not room_visible(ARGV[1], ARGV[2], KEYS[1], ARGV[3]) then return 'notfound' end
redis.call('HDEL', ARGV[1] .. 'roles:' .. ARGV[2], ARGV[3])
return redis.call('SREM', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
