-- Forgets a connection. ARGV: 1 base, 2 user, 3 connection id. Returns 1 when the user went offline.
local base, user = ARGV[1], ARGV[2]
local conns = base .. 'conns:' .. user
if redis.call('SREM', conns, ARGV[3]) == 1 and redis.call('SCARD', conns) == 0 then
  redis.call('SREM', base .. 'online', user)
  return 1
end
return 0
