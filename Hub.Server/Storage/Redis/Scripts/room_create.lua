-- Creates a room; the owner becomes its first member. Every bound is checked in this one step, so they hold across nodes.
-- ARGV: 1 base, 2 room, 3 owner, 4 now (ms), 5 max rooms per user, 6 max owned rooms per user, 7 max rooms per namespace.
-- Returns 'ok' | 'exists' | 'toomany' | 'owned' | 'nsfull'.
local base, room, owner = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', base .. 'room:' .. room) == 1 then return 'exists' end
if redis.call('SCARD', base .. 'user-rooms:' .. owner) >= tonumber(ARGV[5]) then return 'toomany' end
if redis.call('SCARD', base .. 'owned:' .. owner) >= tonumber(ARGV[6]) then return 'owned' end
if redis.call('ZCARD', base .. 'room-names') >= tonumber(ARGV[7]) then return 'nsfull' end
redis.call('HSET', base .. 'room:' .. room, 'owner', owner, 'created', ARGV[4], 'seq', 0)
redis.call('ZADD', base .. 'room-names', 0, room)
redis.call('SADD', base .. 'owned:' .. owner, room)
redis.call('SADD', base .. 'members:' .. room, owner)
redis.call('SADD', base .. 'user-rooms:' .. owner, room)
return 'ok'
