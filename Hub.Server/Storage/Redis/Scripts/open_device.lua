-- Opens a device of a user at connect (the user's partition): forgets the user's devices unseen for the retention
-- (with their cursors), records this one as seen now (new: a new epoch, starting at 0 when it is the user's first
-- device, so what was sent to the user before any device connected is read, else at now; beyond the most devices
-- allowed, the least recently seen other one is forgotten), and returns what its backlog is read from.
-- KEYS[1]: the user's devices hash. ARGV: 1 partition base, 2 user, 3 device, 4 now (ms), 5 retention (ms),
-- 6 most devices, 7 epoch for a new device.
-- Returns {epoch, first seen ms, {scope, cursor, ...}, {room, joined at, ...}, {conversation...}}.
local base, user, device = ARGV[1], ARGV[2], ARGV[3]
local now, retention, maxDevices = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local devices = KEYS[1]
local cursors = base .. 'cursors:' .. user .. ':'

-- "{epoch}|{first seen}|{last seen}"
local mine, oldest, oldestSeen, count = nil, nil, nil, 0
local all = redis.call('HGETALL', devices)
for i = 1, #all, 2 do
  local id = all[i]
  local epoch, since, seen = string.match(all[i + 1], '^([^|]*)|(%d+)|(%d+)$')
  if not epoch or now - tonumber(seen) > retention then
    redis.call('HDEL', devices, id)
    redis.call('DEL', cursors .. id)
  else
    count = count + 1
    if id == device then
      mine = {epoch, since}
    elseif not oldestSeen or tonumber(seen) < oldestSeen then
      oldest, oldestSeen = id, tonumber(seen)
    end
  end
end
if not mine then
  local since = now
  if count == 0 then since = 0 end
  mine = {ARGV[7], string.format('%d', since)}
  -- A device forgotten earlier may have left cursors behind only if it was deleted without them; start clean.
  redis.call('DEL', cursors .. device)
  if count + 1 > maxDevices and oldest then
    redis.call('HDEL', devices, oldest)
    redis.call('DEL', cursors .. oldest)
  end
end
redis.call('HSET', devices, device, mine[1] .. '|' .. mine[2] .. '|' .. string.format('%d', now))
return {mine[1], mine[2], redis.call('HGETALL', cursors .. device), redis.call('HGETALL', base .. 'user-rooms:' .. user),
  redis.call('SMEMBERS', base .. 'user-dms:' .. user)}
