-- Records a live connection, under the node that holds it (so a dead node's connections can be reaped).
-- ARGV: 1 base, 2 user, 3 connection id, 4 node connections key, 5 namespace. Returns 1 when the user came online.
local base, user, conn = ARGV[1], ARGV[2], ARGV[3]
redis.call('SADD', base .. 'known', user)
redis.call('SADD', ARGV[4], ARGV[5] .. '|' .. user .. '|' .. conn)
local conns = base .. 'conns:' .. user
if redis.call('SADD', conns, conn) == 1 and redis.call('SCARD', conns) == 1 then
  redis.call('SADD', base .. 'online', user)
  return 1
end
return 0
