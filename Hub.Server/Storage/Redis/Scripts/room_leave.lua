-- Removes a user from a room's members and admins (the room's partition); a private room is 'notfound' to a
-- non-member (lib_room.lua). KEYS[1]: the room hash. ARGV: 1 partition base, 2 room, 3 user.
-- Returns 1 (was a member) | 0 | 'notfound'.
if not room_visible(ARGV[1], ARGV[2], KEYS[1], ARGV[3]) then return 'notfound' end
redis.call('HDEL', ARGV[1] .. 'roles:' .. ARGV[2], ARGV[3])
-- How far the user read goes with the membership: joining again starts from the join position.
redis.call('HDEL', KEYS[1], 'read:' .. ARGV[3])
local removed = redis.call('SREM', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
-- The announcements' cached list of members (lib_append.lua, room_recipients) is out of date.
if removed == 1 then redis.call('HDEL', KEYS[1], 'r') end
return removed
