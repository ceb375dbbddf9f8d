-- A room and one user's role in it (the room's partition). KEYS[1]: the room hash. ARGV: 1 partition base, 2 room, 3 user.
-- Returns {'ok', owner, created, private (1/0), role or ''} | {'notfound'} (also for a private room hidden from the user).
local base, room, user = ARGV[1], ARGV[2], ARGV[3]
local owner, created, private, role = room_visible(base, room, KEYS[1], user)
if not owner then return {'notfound'} end
return {'ok', owner, created, private and 1 or 0, role or ''}
