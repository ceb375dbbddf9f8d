-- Records a live connection. ARGV: 1 base, 2 user, 3 connection id. Returns 1 when the user came online.
local base, user = ARGV[1], ARGV[2]
redis.call('SADD', base .. 'known', user)
local conns = base .. 'conns:' .. user
if redis.call('SADD', conns, ARGV[3]) == 1 and redis.call('SCARD', conns) == 1 then
  redis.call('SADD', base .. 'online', user)
  return 1
end
return 0
