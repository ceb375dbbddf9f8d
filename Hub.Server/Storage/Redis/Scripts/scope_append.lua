-- Stores a message in the logs of rooms or of a conversation of ONE partition and announces each, atomically: the
-- check, the position, the append (trimmed to the length bound), the announcement with its partition counter and the
-- idempotency record are one step, so every node sees the partition's messages in store order and a retry finds
-- either the record or nothing stored. The cost barely grows with a room's size: one XADD, one SPUBLISH, and the
-- recipients' list read whole from the room's hash, where it is kept between changes of the members (room_recipients).
-- Names (users, rooms) are validated by the server to [A-Za-z0-9_.-], so they are safe inside JSON strings.
-- KEYS[1]: the partition's counter (routes the call to the partition's slot).
-- ARGV: 1 partition base ("{prefix}:{ns}:{p}:"), 2 partition number, 3 from, 4 sender must be member (1/0),
--       5 now (ms), 6 log length, 7 the send's trace as a JSON member (',"t":{...}') or '', 8 idempotency key ('' for
--       none), 9 idempotency window (ms), 10 fingerprint, 11 check only (1/0), 12 return members (1/0), 13 the key's
--       claim to make here ('' when the server made it before, or for no key), then triples: kind ('r' room |
--       'd' conversation), name, body JSON.
-- Returns {'ok', {name, position, recipient count, {members}?}...}, {'replay', name, position, count},
-- {'checked'}, or {'notfound'|'notmember'|'keyreused', room or key}.
local base, p, from = ARGV[1], ARGV[2], ARGV[3]
local mustBeMember = ARGV[4] == '1'
local now, loglen, trace = tonumber(ARGV[5]), ARGV[6], ARGV[7]
local key, window, fingerprint = ARGV[8], tonumber(ARGV[9]), ARGV[10]
local checkOnly, wantMembers, claim = ARGV[11] == '1', ARGV[12] == '1', ARGV[13]
local first = 14

-- On a single Redis the sender's claim of the key (in another partition) is made here, in the same step, which saves
-- the send a round trip; on a Redis Cluster the server made it before (send_key.lua).
if claim ~= '' and claim_key(claim, now, window, fingerprint) == 'keyreused' then return {'keyreused', key} end

-- A retry is answered before anything else is checked: the first send was accepted, and what changed since (the
-- sender left the room) must not turn its retry into an error.
local record, prior = keyed_send(base, from, key, now, window, fingerprint)
if prior == 'keyreused' then return {'keyreused', key} end
if prior then return {'replay', prior[2], prior[3], prior[1]} end

for i = first, #ARGV, 3 do
  if ARGV[i] == 'r' then
    local room = ARGV[i + 1]
    if redis.call('EXISTS', base .. 'room:' .. room) == 0 then return {'notfound', room} end
    if mustBeMember and redis.call('SISMEMBER', base .. 'members:' .. room, from) == 0 then
      -- A private room is refused to a non-member as if it did not exist (lib_room.lua).
      if not room_visible(base, room, base .. 'room:' .. room, from) then return {'notfound', room} end
      return {'notmember', room}
    end
  end
end
if checkOnly then return {'checked'} end

-- The record keeps the partition's distinct recipients (a user in two of its rooms counted once), so a retry of a send
-- to several rooms of one partition gets the first count; for one scope (the common case) that is its members.
local result, firstName, firstPosition, seen, distinct = {}, nil, nil, {}, 0
local several = #ARGV - first + 1 > 3
for i = first, #ARGV, 3 do
  local kind, name, body = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local hash, members, count, users
  if kind == 'r' then
    hash = base .. 'room:' .. name
    if several or wantMembers then
      -- Distinct recipients across rooms need the members themselves.
      members = redis.call('SMEMBERS', base .. 'members:' .. name)
    else
      count, users = room_recipients(hash, base .. 'members:' .. name)
    end
  else
    hash = base .. 'dm:' .. name
    local a, b = string.match(name, '^([^/]+)/(.+)$')
    members = a == b and {a} or {a, b}
  end
  if members then count, users = #members, json_names(members) end
  local position = next_position(hash, now)
  -- Sending reads: the sender (a member, or a party of the conversation) has read up to its own message.
  if kind == 'd' or mustBeMember then
    redis.call('HSET', hash, 'read:' .. from, string.match(position, '-(%d+)$'))
  end
  redis.call('XADD', base .. 'log:' .. kind .. '/' .. name, 'MAXLEN', loglen, position, 'b', body)
  local counter = redis.call('INCR', KEYS[1])
  redis.call('SPUBLISH', base .. 'live', '{"p":' .. p .. ',"c":' .. counter .. ',"id":"' .. position .. '/' .. kind .. '/' .. name
    .. '","r":' .. users .. ',"b":' .. body .. trace .. '}')
  local entry = {name, position, count}
  if wantMembers then entry[4] = members end
  result[#result + 1] = entry
  if not firstName then firstName, firstPosition = name, position end
  if not several then
    distinct = count
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
