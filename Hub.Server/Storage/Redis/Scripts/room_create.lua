-- Creates a room; the owner becomes its first member.
-- ARGV: 1 base, 2 room, 3 owner, 4 now (ms), 5 max rooms per user. Returns 'ok' | 'exists' | 'toomany'.
local base, room, owner = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', base .. 'room:' .. room) == 1 then return 'exists' end
if redis.call('SCARD', base .. 'user-rooms:' .. owner) >= tonumber(ARGV[5]) then return 'toomany' end
redis.call('HSET', base .. 'room:' .. room, 'owner', owner, 'created', ARGV[4], 'seq', 0)
redis.call('SADD', base .. 'rooms', room)
redis.call('SADD', base .. 'members:' .. room, owner)
redis.call('SADD', base .. 'user-rooms:' .. owner, room)
return 'ok'
