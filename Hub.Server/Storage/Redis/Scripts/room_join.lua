-- Adds a user to a room's members (the room's partition), unless the room has the most members allowed, and returns
-- the room's last position: the user's devices read the room from there (user_room_add.lua records it next).
-- KEYS[1]: the room hash. ARGV: 1 partition base, 2 room, 3 user, 4 most members.
-- A private room admits its owner and invited users (the invite is used up); to anyone else it is 'private', which
-- the server answers as a room that does not exist.
-- Returns {'ok', owner, created, added (1/0), joined at, private (1/0), members...} | {'notfound'} | {'full'} | {'private'}.
local base, room, user = ARGV[1], ARGV[2], ARGV[3]
local members = base .. 'members:' .. room
local info = redis.call('HMGET', KEYS[1], 'owner', 'created', 'ms', 'seq', 'private')
if not info[1] then return {'notfound'} end
local private = info[5] == '1'
local added = 0
if redis.call('SISMEMBER', members, user) == 0 then
  local invites = base .. 'invites:' .. room
  if private and user ~= info[1] and redis.call('SISMEMBER', invites, user) == 0 then return {'private'} end
  if redis.call('SCARD', members) >= tonumber(ARGV[4]) then return {'full'} end
  redis.call('SADD', members, user)
  redis.call('SREM', invites, user)
  -- The announcements' cached list of members (lib_append.lua, room_recipients) is out of date.
  redis.call('HDEL', KEYS[1], 'r')
  added = 1
end
local result = {'ok', info[1], info[2], added, (info[3] or '0') .. '-' .. (info[4] or '0'), private and 1 or 0}
for _, member in ipairs(redis.call('SMEMBERS', members)) do result[#result + 1] = member end
return result
