-- Deletes a room its owner asks to delete, with its members, roles, invites, log and edits (the room's partition); a
-- private room is 'notfound' to a non-member (lib_room.lua); the members' own entries
-- (user-rooms, cursors) are removed next, partition by partition (user_room_remove.lua).
-- KEYS[1]: the room hash. ARGV: 1 partition base, 2 room, 3 user.
-- Returns {'ok', members...} | {'notfound'} | {'notowner'}.
local base, room, user = ARGV[1], ARGV[2], ARGV[3]
local owner = room_visible(base, room, KEYS[1], user)
if not owner then return {'notfound'} end
if owner ~= user then return {'notowner'} end
local members = redis.call('SMEMBERS', base .. 'members:' .. room)
redis.call('DEL', KEYS[1], base .. 'members:' .. room, base .. 'log:r/' .. room, base .. 'roles:' .. room, base .. 'invites:' .. room,
  base .. 'edits:r/' .. room, base .. 'edited:r/' .. room)
local result = {'ok'}
for _, member in ipairs(members) do result[#result + 1] = member end
return result
