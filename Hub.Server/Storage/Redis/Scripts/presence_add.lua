-- Records a live connection, under the node that holds it (so a dead node's connections can be reaped), unless the
-- user already has the most connections allowed (counted over every node, in this one step so nodes cannot race), or
-- the user is new and the namespace already knows the most users allowed (each known user may own a pending queue).
-- ARGV: 1 base, 2 user, 3 connection id, 4 node connections key, 5 namespace, 6 max connections per user,
--       7 max users per namespace.
-- Returns 1 when the user came online, 0 otherwise, -1 (too many connections) or -2 (too many users) when refused
-- (nothing recorded).
local base, user, conn = ARGV[1], ARGV[2], ARGV[3]
local conns = base .. 'conns:' .. user
local known = base .. 'known'
if redis.call('SISMEMBER', conns, conn) == 0 and redis.call('SCARD', conns) >= tonumber(ARGV[6]) then return -1 end
if redis.call('SISMEMBER', known, user) == 0 and redis.call('SCARD', known) >= tonumber(ARGV[7]) then return -2 end
redis.call('SADD', known, user)
redis.call('SADD', ARGV[4], ARGV[5] .. '|' .. user .. '|' .. conn)
if redis.call('SADD', conns, conn) == 1 and redis.call('SCARD', conns) == 1 then
  redis.call('SADD', base .. 'online', user)
  return 1
end
return 0
