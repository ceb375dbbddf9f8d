-- Indexes the rooms that versions before the room index recorded in the 'rooms' set: each goes into 'room-names'
-- (ZSET, score 0) and its owner's 'owned:{user}' set, then the old set goes. A no-op once the old set is gone.
-- Rooms deleted meanwhile (no room hash) are skipped. ARGV: 1 base. Returns how many rooms were indexed.
local base = ARGV[1]
local legacy = base .. 'rooms'
if redis.call('EXISTS', legacy) == 0 then return 0 end
local indexed = 0
for _, room in ipairs(redis.call('SMEMBERS', legacy)) do
  local owner = redis.call('HGET', base .. 'room:' .. room, 'owner')
  if owner then
    redis.call('ZADD', base .. 'room-names', 0, room)
    redis.call('SADD', base .. 'owned:' .. owner, room)
    indexed = indexed + 1
  end
end
redis.call('DEL', legacy)
return indexed
