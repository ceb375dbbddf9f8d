-- A room with its members and admins as a viewer may see it (the room's partition). KEYS[1]: the room hash.
-- ARGV: 1 partition base, 2 room, 3 viewer.
-- Returns {'ok', owner, created, private (1/0), admin count, admins..., members...} | {'notfound'}.
local base, room, viewer = ARGV[1], ARGV[2], ARGV[3]
local owner, created, private = room_visible(base, room, KEYS[1], viewer)
if not owner then return {'notfound'} end
local admins = redis.call('HKEYS', base .. 'roles:' .. room)
local result = {'ok', owner, created, private and 1 or 0, #admins}
for _, admin in ipairs(admins) do result[#result + 1] = admin end
for _, member in ipairs(redis.call('SMEMBERS', base .. 'members:' .. room)) do result[#result + 1] = member end
return result
