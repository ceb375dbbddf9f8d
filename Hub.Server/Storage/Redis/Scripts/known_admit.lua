-- Counts a new user into the namespace's known users, unless it knows the most allowed (Limits:MaxUsersPerNamespace).
-- Only a user's first connection comes here, never a send. KEYS[1]: the namespace's known count. ARGV: 1 most users.
-- Returns 1 (admitted) | 0 (full).
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
return 1
