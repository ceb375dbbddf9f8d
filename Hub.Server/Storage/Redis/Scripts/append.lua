-- Stores one message and announces it, atomically: resolve recipients, take an id and room sequence numbers,
-- append to room history and to every recipient's inbox stream, trim by the bounds (counting drops), publish.
-- Because it is one script, every node receives messages in id order and every member sees one room order.
-- Names (users, rooms) are validated by the server to [A-Za-z0-9_.-], so they are safe inside JSON strings.
-- A keyed send (idempotency key) is recorded in the same step, so a retry either finds the record or finds nothing
-- stored: never a message stored without its record.
-- ARGV: 1 base ("{prefix}:{ns}:"), 2 channel, 3 from, 4 kind (rooms|users|online|known), 5 except user,
--       6 sender must be member (1/0), 7 now (ms), 8 max pending length, 9 history length, 10 body JSON,
--       11 idempotency key ('' for none), 12 idempotency window (ms), 13 fingerprint of the message,
--       14 users must be known (1/0), 15 the send's trace context as a JSON member to add to the announcement
--       (',"t":{"p":traceparent,"s":tracestate}', built and escaped by the server) or '', 16.. targets (rooms or users)
-- Returns {'ok', id, seq JSON or '', recipient count}, {'ok', id, seq, count, 'replay'} for a retry of a keyed send,
-- or {'notfound'|'notmember'|'unknownuser'|'keyreused', room, user or key}.
local base, channel, from, kind, except = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local mustBeMember = ARGV[6] == '1'
local now, maxlen, histlen, body = tonumber(ARGV[7]), ARGV[8], ARGV[9], ARGV[10]
local key, window, fingerprint = ARGV[11], tonumber(ARGV[12]), ARGV[13]
local mustBeKnown = ARGV[14] == '1'
local trace = ARGV[15]
local first = 16

-- A retry is answered before anything else is checked: the first send was accepted, and what changed since (the
-- sender left the room) must not turn its retry into an error. The record's own time decides expiry (the TTL only
-- frees the memory), so the window follows the server's clock like the in-memory store's.
local record
if key ~= '' then
  record = base .. 'idem:' .. from .. ':' .. key
  local prior = redis.call('GET', record)
  if prior then
    -- "{ms}|{fingerprint}|{id}|{recipients}|{seq}"; seq is last since it is JSON (names never contain '|').
    local at, fp, pid, count, pseq = string.match(prior, '^(%d+)|([^|]*)|([^|]*)|(%d+)|(.*)$')
    if at and tonumber(at) + window > now then
      if fp ~= fingerprint then return {'keyreused', key} end
      return {'ok', pid, pseq, tonumber(count), 'replay'}
    end
  end
end

local recipients, seen = {}, {}
local function add(user)
  if not seen[user] then
    seen[user] = true
    recipients[#recipients + 1] = user
  end
end

local rooms = {}
if kind == 'rooms' then
  for i = first, #ARGV do
    local room = ARGV[i]
    if redis.call('EXISTS', base .. 'room:' .. room) == 0 then return {'notfound', room} end
    if mustBeMember and redis.call('SISMEMBER', base .. 'members:' .. room, from) == 0 then return {'notmember', room} end
    rooms[#rooms + 1] = room
  end
  for _, room in ipairs(rooms) do
    for _, user in ipairs(redis.call('SMEMBERS', base .. 'members:' .. room)) do add(user) end
  end
elseif kind == 'users' then
  for i = first, #ARGV do
    if mustBeKnown and redis.call('SISMEMBER', base .. 'known', ARGV[i]) == 0 then return {'unknownuser', ARGV[i]} end
  end
  for i = first, #ARGV do add(ARGV[i]) end
elseif kind == 'online' then
  for _, user in ipairs(redis.call('SMEMBERS', base .. 'online')) do
    if user ~= except then add(user) end
  end
elseif kind == 'known' then
  for _, user in ipairs(redis.call('SMEMBERS', base .. 'known')) do add(user) end
end

-- Ids only grow, even if node clocks disagree or step back: ms is never below the last one.
local last = redis.call('HMGET', base .. 'last-id', 'ms', 'n')
local ms = math.max(now, tonumber(last[1] or '0'))
local n = tonumber(last[2] or '0') + 1
redis.call('HSET', base .. 'last-id', 'ms', string.format('%d', ms), 'n', string.format('%d', n))
local id = string.format('%d-%d', ms, n)

local seq = ''
if #rooms == 1 then
  seq = tostring(redis.call('HINCRBY', base .. 'room:' .. rooms[1], 'seq', 1))
elseif #rooms > 1 then
  local parts = {}
  for _, room in ipairs(rooms) do
    parts[#parts + 1] = '"' .. room .. '":' .. redis.call('HINCRBY', base .. 'room:' .. room, 'seq', 1)
  end
  seq = '{' .. table.concat(parts, ',') .. '}'
end

for _, room in ipairs(rooms) do
  redis.call('XADD', base .. 'history:' .. room, 'MAXLEN', histlen, id, 'b', body, 's', seq)
end

-- Per recipient only what must happen per message: the append and the length bound (which caps memory). The age
-- bound and the epoch are applied by open_queue.lua at connect, where they matter (the dropped count is reported
-- then; a queue whose data was lost gets a new epoch there): two commands less per delivery (docs/benchmarks.md).
for _, user in ipairs(recipients) do
  local inbox = base .. 'inbox:' .. user
  redis.call('XADD', inbox, id, 'b', body, 's', seq)
  local dropped = redis.call('XTRIM', inbox, 'MAXLEN', maxlen)
  if dropped > 0 then redis.call('INCRBY', base .. 'dropped:' .. user, dropped) end
end

local users = '[]'
if #recipients > 0 then users = '["' .. table.concat(recipients, '","') .. '"]' end
local s = seq
if s == '' then s = 'null' end
redis.call('PUBLISH', channel, '{"id":"' .. id .. '","s":' .. s .. ',"r":' .. users .. ',"b":' .. body .. trace .. '}')
if record then
  redis.call('SET', record, string.format('%d|%s|%s|%d|%s', now, fingerprint, id, #recipients, seq), 'PX', window)
end
return {'ok', id, seq, #recipients}
