-- Stores the messages of a batch of sends in the logs of rooms or conversations of ONE partition and announces each,
-- atomically, in the order given: per send, the check, the position, the append (trimmed to the length bound), the
-- announcement with its partition counter and the idempotency record are one step, so every node sees the
-- partition's messages in store order and a retry finds either the record or nothing stored. A batch is what several
-- senders' sends to the partition became while the previous batch was running (RedisGroupCommit): one call instead of
-- one each, the same result as the calls one after another. The cost does not grow with a room's size: one XADD and
-- one SPUBLISH per message, one SMEMBERS (the recipients, read not written) per room and batch.
-- Names (users, rooms) are validated by the server to [A-Za-z0-9_.-], so they are safe inside JSON strings.
-- KEYS[1]: the partition's counter (routes the call to the partition's slot).
-- ARGV: 1 partition base ("{prefix}:{ns}:{p}:"), 2 partition number, 3 now (ms), 4 log length, 5 idempotency window
--       (ms), then per send: from, sender must be member (1/0), the send's trace as a JSON member (',"t":{...}' or ''),
--       idempotency key ('' for none), fingerprint, check only (1/0), return members (1/0), number of scopes, then
--       per scope: kind ('r' room | 'd' conversation), name, body JSON.
-- Returns one reply per send: {'ok', {name, position, recipient count, {members}?}...}, {'replay', name, position,
-- count}, {'checked'}, or {'notfound'|'notmember'|'keyreused', room or key}.
local base, p = ARGV[1], ARGV[2]
local now, loglen, window = tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local membersOf = {}

local function members_of(kind, name)
  local cached = membersOf[kind .. name]
  if cached then return cached end
  local members
  if kind == 'r' then
    members = redis.call('SMEMBERS', base .. 'members:' .. name)
  else
    local a, b = string.match(name, '^([^/]+)/(.+)$')
    members = a == b and {a} or {a, b}
  end
  local users = '[]'
  if #members > 0 then users = '["' .. table.concat(members, '","') .. '"]' end
  cached = {members, users}
  membersOf[kind .. name] = cached
  return cached
end

-- One send: ARGV[i..] is its header and scopes. Returns its reply.
local function append(i, from, mustBeMember, trace, key, fingerprint, checkOnly, wantMembers, scopes)
  -- A retry is answered before anything else is checked: the first send was accepted, and what changed since (the
  -- sender left the room) must not turn its retry into an error.
  local record, prior = keyed_send(base, from, key, now, window, fingerprint)
  if prior == 'keyreused' then return {'keyreused', key} end
  if prior then return {'replay', prior[2], prior[3], prior[1]} end

  for s = i, i + 3 * (scopes - 1), 3 do
    if ARGV[s] == 'r' then
      local room = ARGV[s + 1]
      if redis.call('EXISTS', base .. 'room:' .. room) == 0 then return {'notfound', room} end
      if mustBeMember and redis.call('SISMEMBER', base .. 'members:' .. room, from) == 0 then return {'notmember', room} end
    end
  end
  if checkOnly then return {'checked'} end

  -- The record keeps the partition's distinct recipients (a user in two of its rooms counted once), so a retry of a
  -- send to several rooms of one partition gets the first count; for one scope (the common case) that is its members.
  local result, firstName, firstPosition, seen, distinct = {}, nil, nil, {}, 0
  for s = i, i + 3 * (scopes - 1), 3 do
    local kind, name, body = ARGV[s], ARGV[s + 1], ARGV[s + 2]
    local hash = base .. (kind == 'r' and 'room:' or 'dm:') .. name
    local recipients = members_of(kind, name)
    local members = recipients[1]
    local position = next_position(hash, now)
    redis.call('XADD', base .. 'log:' .. kind .. '/' .. name, 'MAXLEN', loglen, position, 'b', body)
    local counter = redis.call('INCR', KEYS[1])
    redis.call('SPUBLISH', base .. 'live', '{"p":' .. p .. ',"c":' .. counter .. ',"id":"' .. position .. '/' .. kind .. '/' .. name
      .. '","r":' .. recipients[2] .. ',"b":' .. body .. trace .. '}')
    local entry = {name, position, #members}
    if wantMembers then entry[4] = members end
    result[#result + 1] = entry
    if not firstName then firstName, firstPosition = name, position end
    if scopes == 1 then
      distinct = #members
    else
      for _, member in ipairs(members) do
        if not seen[member] then
          seen[member] = true
          distinct = distinct + 1
        end
      end
    end
  end
  if record then
    record_send(record, now, window, fingerprint, distinct, firstName, firstPosition)
  end
  return {'ok', result}
end

local replies, i = {}, 6
while i <= #ARGV do
  local scopes = tonumber(ARGV[i + 7])
  replies[#replies + 1] = append(i + 8, ARGV[i], ARGV[i + 1] == '1', ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5] == '1',
    ARGV[i + 6] == '1', scopes)
  i = i + 8 + 3 * scopes
end
return replies
