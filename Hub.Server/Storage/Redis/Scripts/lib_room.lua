-- Shared by the room access scripts (prepended to each): roles and visibility, read in the room's partition.
-- B roles:{room} HASH member -> 'admin' (the owner's role comes from the room hash); B invites:{room} SET.

-- The role of `user` in the room owned by `owner`: 'owner', 'admin', 'member', or false when not a member.
local function room_role(base, room, owner, user)
  if redis.call('SISMEMBER', base .. 'members:' .. room, user) == 0 then return false end
  if user == owner then return 'owner' end
  return redis.call('HGET', base .. 'roles:' .. room, user) or 'member'
end

-- The room as `user` may see it: owner, created, private (true/false) and the user's role (false when not a member);
-- nil when the room does not exist or is private and the user neither a member nor its owner. Callers answer
-- 'notfound' to both, so a private room's existence does not leak (RoomAccess.IsHidden is the same rule in C#).
local function room_visible(base, room, hash, user)
  local info = redis.call('HMGET', hash, 'owner', 'created', 'private')
  if not info[1] then return nil end
  local private = info[3] == '1'
  local role = room_role(base, room, info[1], user)
  if private and not role and user ~= info[1] then return nil end
  return info[1], info[2], private, role
end
