-- Reads a page of a room's or conversation's history (ONE partition), newest first: up to `limit` messages before a
-- position, skipping edit entries (field e), each with its latest state from the edits hash (message_edit.lua).
-- KEYS[1]: the log. ARGV: 1 before ("({ms}-{seq}" exclusive, or "+" for the newest), 2 limit, 3 the scope's edits
-- hash (in the log's partition; absent for a conversation).
-- Returns {position, body, state or false, ...} newest first.
local log, from, limit, edits = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3]
local positions, bodies = {}, {}
while #positions < limit do
  -- Edit entries take room in a read too: read at least a few more than still needed.
  local want = math.max(limit - #positions, 16)
  local entries = redis.call('XREVRANGE', log, from, '-', 'COUNT', want)
  for _, entry in ipairs(entries) do
    if entry[2][3] ~= 'e' and #positions < limit then
      positions[#positions + 1] = entry[1]
      bodies[#bodies + 1] = entry[2][2]
    end
  end
  if #entries < want then break end
  from = '(' .. entries[#entries][1]
end
local states = edit_states(edits, positions)
local result = {}
for i = 1, #positions do
  result[#result + 1] = positions[i]
  result[#result + 1] = bodies[i]
  result[#result + 1] = states[i] or false
end
return result
