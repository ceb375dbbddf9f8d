-- Records a live connection (the user's partition) unless the user already has the most connections allowed
-- (counted over every node, in this one step so nodes cannot race). A user this partition does not know yet is only
-- recorded when admitted (ARGV 5 = 1): the namespace's count of known users was raised for it first.
-- KEYS[1]: the user's connections. ARGV: 1 partition base, 2 user, 3 connection id, 4 most connections (0: no bound),
-- 5 admitted (1/0).
-- Returns {came online (1/0), newly known (1/0)}, {-1} (too many connections) or {-2} (not known, not admitted).
local base, user, conn = ARGV[1], ARGV[2], ARGV[3]
local max = tonumber(ARGV[4])
if max > 0 and redis.call('SISMEMBER', KEYS[1], conn) == 0 and redis.call('SCARD', KEYS[1]) >= max then return {-1} end
local known = 0
if redis.call('SISMEMBER', base .. 'known', user) == 0 then
  if ARGV[5] ~= '1' then return {-2} end
  redis.call('SADD', base .. 'known', user)
  known = 1
end
if redis.call('SADD', KEYS[1], conn) == 1 and redis.call('SCARD', KEYS[1]) == 1 then
  redis.call('SADD', base .. 'online', user)
  return {1, known}
end
return {0, known}
