-- Forgets a connection. ARGV: 1 base, 2 user, 3 connection id, 4 node connections key, 5 namespace.
-- Returns 1 when the user went offline.
local base, user, conn = ARGV[1], ARGV[2], ARGV[3]
redis.call('SREM', ARGV[4], ARGV[5] .. '|' .. user .. '|' .. conn)
local conns = base .. 'conns:' .. user
if redis.call('SREM', conns, conn) == 1 and redis.call('SCARD', conns) == 0 then
  redis.call('SREM', base .. 'online', user)
  return 1
end
return 0
