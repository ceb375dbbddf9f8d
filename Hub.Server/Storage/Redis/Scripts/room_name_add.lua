-- Adds a room's name to the namespace's names unless it is there or the namespace has the most rooms allowed.
-- KEYS[1]: the namespace's room names. ARGV: 1 room, 2 most rooms. Returns 'ok' | 'exists' | 'nsfull'.
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'exists' end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 'nsfull' end
redis.call('ZADD', KEYS[1], 0, ARGV[1])
return 'ok'
