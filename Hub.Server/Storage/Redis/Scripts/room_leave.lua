-- Removes a user from a room's members (the room's partition). KEYS[1]: the room hash.
-- ARGV: 1 partition base, 2 room, 3 user. Returns 1 (was a member) | 0 | 'notfound'.
if redis.call('EXISTS', KEYS[1]) == 0 then return 'notfound' end
local removed = redis.call('SREM', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
-- The announcements' cached list of members (lib_append.lua, room_recipients) is out of date.
if removed == 1 then redis.call('HDEL', KEYS[1], 'r') end
return removed
