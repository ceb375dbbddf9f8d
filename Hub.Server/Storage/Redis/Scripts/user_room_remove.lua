-- Forgets a room for a user (the user's partition): the room in its rooms, its devices' cursors there, and when asked
-- (the room is deleted, or its creation undone) the room among those the user owns.
-- KEYS[1]: the user's rooms hash. ARGV: 1 partition base, 2 user, 3 room, 4 disown (1/0).
-- Returns 1 when the room was among the user's rooms, else 0.
local base, user, room = ARGV[1], ARGV[2], ARGV[3]
local was = redis.call('HDEL', KEYS[1], room)
if ARGV[4] == '1' then redis.call('SREM', base .. 'owned:' .. user, room) end
local cursors = base .. 'cursors:' .. user .. ':'
for _, device in ipairs(redis.call('HKEYS', base .. 'devices:' .. user)) do
  redis.call('HDEL', cursors .. device, 'r/' .. room)
end
return was
