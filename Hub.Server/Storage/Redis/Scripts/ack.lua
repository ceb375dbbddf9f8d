-- Moves devices' cursors in ONE partition (their users'), for a batch of acks that arrived while the partition's
-- previous batch ran (RedisGroupCommit): the same as running them one after another, in one script. Per ack: per
-- scope to the given position, never backwards, only for scopes the user belongs to (its stream, rooms it is a member
-- of, its conversations) and only for a device still known. An ack counts as the device being seen: a device that
-- stays connected and acknowledges is not forgotten, and one unseen for the retention is forgotten here too (whether
-- or not another device of the user connected since).
-- KEYS[1]: the partition's counter (routes the call to the partition's slot). ARGV: 1 partition base, 2 now (ms),
-- 3 retention (ms), then per ack: user, device, number of scopes, then pairs: scope key, position.
-- Returns per ack how many cursors moved.
local base = ARGV[1]
local now, retention = tonumber(ARGV[2]), tonumber(ARGV[3])

local function parse(position)
  local ms, seq = string.match(position or '', '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

local function ack(user, device, i, pairs)
  local devices = base .. 'devices:' .. user
  local cursors = base .. 'cursors:' .. user .. ':' .. device
  local state = redis.call('HGET', devices, device)
  if not state then return 0 end
  local epoch, since, seen = string.match(state, '^([^|]*)|(%d+)|(%d+)$')
  if not epoch or now - tonumber(seen) > retention then
    redis.call('HDEL', devices, device)
    redis.call('DEL', cursors)
    return 0
  end
  -- Written only once a hundredth of the retention has passed: enough to keep the device, without a write per ack.
  if now - tonumber(seen) > retention / 100 then
    redis.call('HSET', devices, device, epoch .. '|' .. since .. '|' .. ARGV[2])
  end

  local moved = 0
  for s = i, i + 2 * (pairs - 1), 2 do
    local scope, position = ARGV[s], ARGV[s + 1]
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
end

local replies, i = {}, 4
while i <= #ARGV do
  local pairs = tonumber(ARGV[i + 2])
  replies[#replies + 1] = ack(ARGV[i], ARGV[i + 1], i + 3, pairs)
  i = i + 3 + 2 * pairs
end
return replies
