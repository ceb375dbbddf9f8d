-- Shared by the scripts that read logs (prepended to each when loaded).

-- The latest states (message_edit.lua) of the messages at `positions` in the edits hash `key`, by index: a state or
-- false. HMGET in chunks, as unpack is bounded by Lua's stack; nothing at all when no message of the log was edited.
local function edit_states(key, positions)
  local states = {}
  if #positions == 0 or redis.call('EXISTS', key) == 0 then return states end
  for i = 1, #positions, 1000 do
    local chunk = redis.call('HMGET', key, unpack(positions, i, math.min(i + 999, #positions)))
    for j = 1, #chunk do states[i + j - 1] = chunk[j] end
  end
  return states
end
