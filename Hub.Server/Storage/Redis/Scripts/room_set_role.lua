-- Sets a member's role; only the owner may, and not its own (the room's partition). KEYS[1]: the room hash.
-- ARGV: 1 partition base, 2 room, 3 by, 4 user, 5 role ('admin' | 'member').
-- Returns 1 (changed) | 0 (already so) | 'notfound' | 'notowner' | 'owner' | 'notmember'.
local base, room, by, user = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local owner, _, _, role = room_visible(base, room, KEYS[1], by)
if not owner then return 'notfound' end
if role ~= 'owner' then return 'notowner' end
if user == owner then return 'owner' end
if redis.call('SISMEMBER', base .. 'members:' .. room, user) == 0 then return 'notmember' end
local roles = base .. 'roles:' .. room
if ARGV[5] == 'admin' then return redis.call('HSET', roles, user, 'admin') end
return redis.call('HDEL', roles, user)
