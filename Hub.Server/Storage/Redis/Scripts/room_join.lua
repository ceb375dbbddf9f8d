-- Adds a user to a room's members (the room's partition), unless the room has the most members allowed, and returns
-- the room's last position: the user's devices read the room from there (user_room_add.lua records it next).
-- KEYS[1]: the room hash. ARGV: 1 partition base, 2 room, 3 user, 4 most members.
-- Returns {'ok', owner, created, added (1/0), joined at, members...} | {'notfound'} | {'full'}.
local base, room, user = ARGV[1], ARGV[2], ARGV[3]
local members = base .. 'members:' .. room
local info = redis.call('HMGET', KEYS[1], 'owner', 'created', 'ms', 'seq')
if not info[1] then return {'notfound'} end
local added = 0
if redis.call('SISMEMBER', members, user) == 0 then
  if redis.call('SCARD', members) >= tonumber(ARGV[4]) then return {'full'} end
  redis.call('SADD', members, user)
  -- The announcements' cached list of members (lib_append.lua, room_recipients) is out of date.
  redis.call('HDEL', KEYS[1], 'r')
  added = 1
end
local result = {'ok', info[1], info[2], added, (info[3] or '0') .. '-' .. (info[4] or '0')}
for _, member in ipairs(redis.call('SMEMBERS', members)) do result[#result + 1] = member end
return result
