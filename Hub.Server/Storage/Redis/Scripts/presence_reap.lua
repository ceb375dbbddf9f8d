-- Removes every connection of a node whose heartbeat expired (it died without saying goodbye). Atomic, so two
-- nodes reaping the same dead node at once do the work once.
-- ARGV: 1 prefix, 2 dead node id. Returns {ns, user, ns, user, ...}: users that went offline.
local prefix, node = ARGV[1], ARGV[2]
if redis.call('EXISTS', prefix .. ':node:' .. node) == 1 then return {} end
local key = prefix .. ':node-conns:' .. node
local offline = {}
for _, entry in ipairs(redis.call('SMEMBERS', key)) do
  local ns, user, conn = string.match(entry, '^([^|]+)|([^|]+)|(.+)$')
  if ns then
    local base = prefix .. ':' .. ns .. ':'
    local conns = base .. 'conns:' .. user
    if redis.call('SREM', conns, conn) == 1 and redis.call('SCARD', conns) == 0 then
      redis.call('SREM', base .. 'online', user)
      offline[#offline + 1] = ns
      offline[#offline + 1] = user
    end
  end
end
redis.call('DEL', key)
redis.call('SREM', prefix .. ':nodes', node)
return offline
