-- Removes a member (and revokes a pending invite) on behalf of the owner or an admin (the room's partition): the owner
-- kicks admins and members, an admin kicks members, nobody kicks the owner or themselves. The kicked user's own entry
-- (user-rooms, cursors) is removed next, in the user's partition (user_room_remove.lua).
-- KEYS[1]: the room hash. ARGV: 1 partition base, 2 room, 3 by, 4 user.
-- Returns 'removed' | 'revoked' (only an invite) | 'notfound' | 'notadmin' | 'self' | 'owner' | 'admin' | 'notmember'.
local base, room, by, user = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local owner, _, _, role = room_visible(base, room, KEYS[1], by)
if not owner then return 'notfound' end
if role ~= 'owner' and role ~= 'admin' then return 'notadmin' end
if by == user then return 'self' end
local target = room_role(base, room, owner, user)
if target == 'owner' then return 'owner' end
if target == 'admin' and role ~= 'owner' then return 'admin' end
local revoked = redis.call('SREM', base .. 'invites:' .. room, user)
local removed = redis.call('SREM', base .. 'members:' .. room, user)
redis.call('HDEL', base .. 'roles:' .. room, user)
if removed == 1 then
  -- How far the user read goes with the membership (as in room_leave.lua).
  redis.call('HDEL', KEYS[1], 'read:' .. user)
  -- The announcements' cached list of members (lib_append.lua, room_recipients) is out of date.
  redis.call('HDEL', KEYS[1], 'r')
  return 'removed'
end
if revoked == 1 then return 'revoked' end
return 'notmember'
