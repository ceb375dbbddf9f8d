-- Reads, for the scopes of ONE partition, a page of each log past a position (oldest first), for one user: a room the
-- user is not a member of, or a conversation the user is not a party of, reads as empty. Entries older than the age
-- bound are skipped; past an acknowledged cursor, what the bounds removed is counted as dropped (positions count +1
-- per message in a scope, so it is a subtraction; an edit entry, field e, shares the count of the message before it).
-- A room's messages come with their latest state from its edits hash (message_edit.lua), so a deleted message's text
-- is not handed out again.
-- KEYS[1]: the partition's counter (routes the call to the partition's slot).
-- ARGV: 1 partition base, 2 user, 3 count, 4 oldest position kept by age ("{ms}-0"), then quadruples:
--       kind (u | r | d), name (the user, the room, a/b), after ("{ms}-{seq}"), acknowledged (1/0).
-- Returns per scope {readable (1/0), dropped, more (1/0), {position, body, state or false, ...}}.
local base, user, count, oldest = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]

local function parse(position)
  local ms, seq = string.match(position, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

local oms = parse(oldest)
local result = {}
for i = 5, #ARGV, 4 do
  local kind, name, after, acknowledged = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3] == '1'
  local hash
  if kind == 'r' then
    if redis.call('SISMEMBER', base .. 'members:' .. name, user) == 1 then hash = base .. 'room:' .. name end
  elseif kind == 'd' then
    local a, b = string.match(name, '^([^/]+)/(.+)$')
    if a == user or b == user then hash = base .. 'dm:' .. name end
  else
    hash = base .. 'user:' .. user
    name = user
  end
  if not hash then
    result[#result + 1] = {0, 0, 0, {}}
  else
    local ams, aseq = parse(after)
    local from = after
    if oms > ams then from = oldest end
    local entries = redis.call('XRANGE', base .. 'log:' .. kind .. '/' .. name, '(' .. from, '+', 'COUNT', count + 1)
    local more = 0
    if #entries > count then
      more = 1
      entries[#entries] = nil
    end
    local states = {}
    if kind == 'r' then
      local positions = {}
      for j, entry in ipairs(entries) do positions[j] = entry[1] end
      states = edit_states(base .. 'edits:r/' .. name, positions)
    end
    local page = {}
    for j, entry in ipairs(entries) do
      page[#page + 1] = entry[1]
      page[#page + 1] = entry[2][2]
      page[#page + 1] = states[j] or false
    end
    local dropped = 0
    if acknowledged then
      local last = tonumber(redis.call('HGET', hash, 'seq') or '0')
      if aseq < last then
        local firstKept = last + 1
        if #entries > 0 then
          local _, s = parse(entries[1][1])
          firstKept = s
          -- An edit entry first: the message before it (same count) is gone too.
          if entries[1][2][3] == 'e' then firstKept = s + 1 end
        end
        dropped = math.max(0, firstKept - aseq - 1)
      end
    end
    result[#result + 1] = {1, dropped, more, page}
  end
end
return result
