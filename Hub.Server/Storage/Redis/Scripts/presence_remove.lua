-- Forgets a connection (the user's partition). KEYS[1]: the user's connections. ARGV: 1 partition base, 2 user,
-- 3 connection id. Returns 1 when the user went offline.
if redis.call('SREM', KEYS[1], ARGV[3]) == 1 and redis.call('SCARD', KEYS[1]) == 0 then
  redis.call('SREM', ARGV[1] .. 'online', ARGV[2])
  return 1
end
return 0
