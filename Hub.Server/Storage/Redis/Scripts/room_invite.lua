-- Records an invite to a private room by its owner or an admin (the room's partition). KEYS[1]: the room hash.
-- ARGV: 1 partition base, 2 room, 3 by, 4 invited user, 5 most pending invites.
-- Returns 'ok' | 'again' (already invited) | 'notfound' | 'public' | 'notadmin' | 'member' | 'toomany'.
local base, room, by, user = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local owner, _, private, role = room_visible(base, room, KEYS[1], by)
if not owner then return 'notfound' end
if not private then return 'public' end
if role ~= 'owner' and role ~= 'admin' then return 'notadmin' end
if redis.call('SISMEMBER', base .. 'members:' .. room, user) == 1 then return 'member' end
local invites = base .. 'invites:' .. room
if redis.call('SISMEMBER', invites, user) == 1 then return 'again' end
if redis.call('SCARD', invites) >= tonumber(ARGV[5]) then return 'toomany' end
redis.call('SADD', invites, user)
return 'ok'
