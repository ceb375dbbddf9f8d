-- Moves a device's cursors (the user's partition): per scope to the given position, never backwards, only for scopes
-- the user belongs to (its stream, rooms it is a member of, its conversations) and only for a device still known. An
-- ack counts as the device being seen: a device that stays connected and acknowledges is not forgotten, and one
-- unseen for the retention is forgotten here too (whether or not another device of the user connected since).
-- KEYS[1]: the user's devices hash. ARGV: 1 partition base, 2 user, 3 device, 4 now (ms), 5 retention (ms),
-- then pairs: scope key, position. Returns how many cursors moved.
local base, user, device = ARGV[1], ARGV[2], ARGV[3]
local now = tonumber(ARGV[4])
local cursors = base .. 'cursors:' .. user .. ':' .. device
local state = redis.call('HGET', KEYS[1], device)
if not state then return 0 end
local epoch, since, seen = string.match(state, '^([^|]*)|(%d+)|(%d+)$')
if not epoch or now - tonumber(seen) > tonumber(ARGV[5]) then
  redis.call('HDEL', KEYS[1], device)
  redis.call('DEL', cursors)
  return 0
end
-- Written only once a hundredth of the retention has passed: enough to keep the device, without a write per ack.
if now - tonumber(seen) > tonumber(ARGV[5]) / 100 then
  redis.call('HSET', KEYS[1], device, epoch .. '|' .. since .. '|' .. ARGV[4])
end

local function parse(position)
  local ms, seq = string.match(position or '', '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

local moved = 0
for i = 6, #ARGV, 2 do
  local scope, position = ARGV[i], ARGV[i + 1]
  local mine = scope == 'u'
  if not mine and string.sub(scope, 1, 2) == 'r/' then
    mine = redis.call('HEXISTS', base .. 'user-rooms:' .. user, string.sub(scope, 3)) == 1
  elseif not mine and string.sub(scope, 1, 2) == 'd/' then
    mine = redis.call('SISMEMBER', base .. 'user-dms:' .. user, string.sub(scope, 3)) == 1
  end
  if mine then
    local ms, seq = parse(position)
    local cms, cseq = parse(redis.call('HGET', cursors, scope))
    if ms and (not cms or ms > cms or (ms == cms and seq > cseq)) then
      redis.call('HSET', cursors, scope, position)
      moved = moved + 1
    end
  end
end
return moved
