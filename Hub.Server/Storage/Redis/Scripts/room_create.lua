-- Creates a room's own keys (the room's partition); the owner becomes its first member. The bounds were reserved
-- before, in the owner's partition (user_room_add.lua) and the namespace's room names (room_name_add.lua).
-- KEYS[1]: the room hash. ARGV: 1 partition base, 2 room, 3 owner, 4 now (ms), 5 private (1/0). Returns 'ok' | 'exists'.
local base, room, owner = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
redis.call('HSET', KEYS[1], 'owner', owner, 'created', ARGV[4], 'ms', 0, 'seq', 0, 'private', ARGV[5])
redis.call('SADD', base .. 'members:' .. room, owner)
return 'ok'
