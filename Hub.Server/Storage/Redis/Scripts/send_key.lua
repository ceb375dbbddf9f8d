-- Claims an idempotency key for one message (the sender's partition), before the message is stored, so the same key
-- used for a different message is refused whatever it targets. The server first tries a plain SET NX of the same
-- value; this script only runs for a key already claimed (a retry, a reuse, or a claim the window has expired). The stored result lives with the message, in the
-- partition it was stored in (scope_append.lua, user_append.lua): a retry learns it there.
-- KEYS[1]: the sender's claim of the key. ARGV: 1 now (ms), 2 window (ms), 3 fingerprint.
-- Returns 'new' (claimed now), 'retry' (claimed earlier for this message) or 'keyreused'. The claim's own time decides
-- expiry (the TTL only frees the memory), so the window follows the server's clock like the in-memory store's.
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local prior = redis.call('GET', KEYS[1])
if prior then
  local at, fp = string.match(prior, '^(%d+)|(.*)$')
  if at and tonumber(at) + window > now then
    if fp ~= ARGV[3] then return 'keyreused' end
    return 'retry'
  end
end
redis.call('SET', KEYS[1], string.format('%d|%s', now, ARGV[3]), 'PX', window)
return 'new'
