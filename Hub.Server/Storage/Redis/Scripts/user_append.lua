-- Stores a message in the own streams of the users of ONE partition (notifications, broadcasts) and announces it,
-- atomically, as scope_append.lua does for rooms. Each user's stream has its own positions ({ms}-{n}, n +1 per
-- message), trimmed to the length bound. One announcement lists every recipient with its position; it takes as many
-- counter values as recipients (each recipient is one delivery the subscriber numbers in turn).
-- KEYS[1]: the partition's counter (routes the call to the partition's slot).
-- ARGV: 1 partition base, 2 partition number, 3 from, 4 kind (users | online | known), 5 user left out ('' none),
--       6 now (ms), 7 stream length, 8 body JSON, 9 trace member or '', 10 idempotency key, 11 window (ms),
--       12 fingerprint, then the users (kind users).
-- Returns {'ok' | 'replay', recipient count, first user, its position} or {'keyreused', key}.
local base, p, from, kind, except = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now, maxlen, body, trace = tonumber(ARGV[6]), ARGV[7], ARGV[8], ARGV[9]
local key, window, fingerprint = ARGV[10], tonumber(ARGV[11]), ARGV[12]

local record, prior = keyed_send(base, from, key, now, window, fingerprint)
if prior == 'keyreused' then return {'keyreused', key} end
if prior then return {'replay', prior[1], prior[2], prior[3]} end

local users
if kind == 'users' then
  users = {}
  for i = 13, #ARGV do users[#users + 1] = ARGV[i] end
else
  users = {}
  for _, user in ipairs(redis.call('SMEMBERS', base .. (kind == 'online' and 'online' or 'known'))) do
    if user ~= except then users[#users + 1] = user end
  end
end
if #users == 0 then return {'ok', 0, '', ''} end

local parts = {}
for i, user in ipairs(users) do
  local position = next_position(base .. 'user:' .. user, now)
  redis.call('XADD', base .. 'log:u/' .. user, 'MAXLEN', maxlen, position, 'b', body)
  parts[#parts + 1] = '"' .. user .. '","' .. position .. '"'
  users[i] = {user, position}
end
local counter = redis.call('INCRBY', KEYS[1], #users) - #users + 1
redis.call('SPUBLISH', base .. 'live', '{"p":' .. p .. ',"c":' .. counter .. ',"u":[' .. table.concat(parts, ',') .. '],"b":' .. body .. trace .. '}')
if record then
  record_send(record, now, window, fingerprint, #users, users[1][1], users[1][2])
end
return {'ok', #users, users[1][1], users[1][2]}
