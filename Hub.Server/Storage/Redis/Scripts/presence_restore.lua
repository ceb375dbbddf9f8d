-- Records connections a node holds again, after the store lost them (the node was reaped as dead, or Redis lost its
-- data). No limits: these connections were accepted already. Idempotent.
-- ARGV: 1 prefix, 2 node connections key, then triples of namespace, user, connection id.
-- Returns {ns, user, ns, user, ...}: users that came online.
local prefix, nodeConns = ARGV[1], ARGV[2]
local online = {}
for i = 3, #ARGV - 2, 3 do
  local ns, user, conn = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local base = prefix .. ':' .. ns .. ':'
  local conns = base .. 'conns:' .. user
  redis.call('SADD', base .. 'known', user)
  redis.call('SADD', nodeConns, ns .. '|' .. user .. '|' .. conn)
  if redis.call('SADD', conns, conn) == 1 and redis.call('SADD', base .. 'online', user) == 1 then
    online[#online + 1] = ns
    online[#online + 1] = user
  end
end
return online
