-- Shared by the append scripts and send_key.lua (prepended to each when loaded).

-- Claims an idempotency key for one message in the sender's partition (`claim`, the claim's key), before anything is
-- stored, so the same key used for a different message is refused whatever it targets. The stored result lives with
-- the message, in the partition it was stored in (prior_send): a retry learns it there. Returns 'new' (claimed now),
-- 'retry' (claimed earlier for this message) or 'keyreused'. The claim's own time decides expiry (the TTL only frees
-- the memory), so the window follows the server's clock like the in-memory store's.
local function claim_key(claim, now, window, fingerprint)
  local prior = redis.call('GET', claim)
  if prior then
    local at, fp = string.match(prior, '^(%d+)|(.*)$')
    if at and tonumber(at) + window > now then
      if fp ~= fingerprint then return 'keyreused' end
      return 'retry'
    end
  end
  redis.call('SET', claim, string.format('%d|%s', now, fingerprint), 'PX', window)
  return 'new'
end

-- A keyed send's earlier result in this partition, within the window: nil (none, or expired: the record's own time
-- decides, the TTL only frees the memory, so the window follows the server's clock like the in-memory store's),
-- 'keyreused' (recorded for a different message), or {count, first name, its position}.
-- Record: "{ms}|{fingerprint}|{count}|{first}|{position}".
local function prior_send(record, now, window, fingerprint)
  local prior = redis.call('GET', record)
  if not prior then return nil end
  local at, fp, count, name, position = string.match(prior, '^(%d+)|([^|]*)|(%d+)|([^|]*)|(.*)$')
  if not at or tonumber(at) + window <= now then return nil end
  if fp ~= fingerprint then return 'keyreused' end
  return {tonumber(count), name, position}
end

-- The record of a keyed send in this partition (nil for a send without a key) and its earlier result (prior_send).
local function keyed_send(base, from, key, now, window, fingerprint)
  if key == '' then return nil, nil end
  local record = base .. 'idem:' .. from .. ':' .. key
  return record, prior_send(record, now, window, fingerprint)
end

local function record_send(record, now, window, fingerprint, count, name, position)
  redis.call('SET', record, string.format('%d|%s|%d|%s|%s', now, fingerprint, count, name, position), 'PX', window)
end

-- The next position of a scope whose last one is in `hash` (fields ms, seq): seq +1; ms never below the last one, so
-- positions only grow even if node clocks disagree or step back.
local function next_position(hash, now)
  local last = tonumber(redis.call('HGET', hash, 'ms') or '0')
  local ms = math.max(now, last)
  if ms ~= last then redis.call('HSET', hash, 'ms', string.format('%d', ms)) end
  return string.format('%d-%d', ms, redis.call('HINCRBY', hash, 'seq', 1))
end

-- Names as a JSON array (names are validated to [A-Za-z0-9_.-]: nothing to escape).
local function json_names(names)
  if #names == 0 then return '[]' end
  return '["' .. table.concat(names, '","') .. '"]'
end

-- A room's member count and members as a JSON array, for its announcements. Kept in the room's hash (field 'r',
-- "{count}|{json}") between changes of the members, so a message reads one field instead of listing the set and
-- joining its names (SMEMBERS of 50 members and the join were a fifth of a message's Redis time; of 5,000, most of
-- it). Every script that changes a room's members deletes the field (room_join, room_leave, room_kick; room_delete
-- deletes the hash); the next message rebuilds it.
local function room_recipients(hash, membersKey)
  local cached = redis.call('HGET', hash, 'r')
  if cached then
    local bar = string.find(cached, '|', 1, true)
    return tonumber(string.sub(cached, 1, bar - 1)), string.sub(cached, bar + 1)
  end
  local members = redis.call('SMEMBERS', membersKey)
  local users = json_names(members)
  redis.call('HSET', hash, 'r', #members .. '|' .. users)
  return #members, users
end

-- The next position of an edit entry of a room whose last position is in `hash`: the seq stays (edits are not numbered
-- as messages), ms moves past the last one, so positions (stream ids) still grow.
local function next_unnumbered_position(hash, now)
  local last = redis.call('HMGET', hash, 'ms', 'seq')
  local ms = math.max(now, tonumber(last[1] or '0') + 1)
  redis.call('HSET', hash, 'ms', string.format('%d', ms))
  return string.format('%d-%s', ms, last[2] or '0')
end
