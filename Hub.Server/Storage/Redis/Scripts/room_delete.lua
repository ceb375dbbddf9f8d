-- Deletes a room its owner asks to delete, with its members and history.
-- ARGV: 1 base, 2 room, 3 user. Returns {'ok', members...} | {'notfound'} | {'notowner'}.
local base, room, user = ARGV[1], ARGV[2], ARGV[3]
local owner = redis.call('HGET', base .. 'room:' .. room, 'owner')
if not owner then return {'notfound'} end
if owner ~= user then return {'notowner'} end
local members = redis.call('SMEMBERS', base .. 'members:' .. room)
for _, member in ipairs(members) do redis.call('SREM', base .. 'user-rooms:' .. member, room) end
redis.call('DEL', base .. 'room:' .. room, base .. 'members:' .. room, base .. 'history:' .. room)
redis.call('ZREM', base .. 'room-names', room)
redis.call('SREM', base .. 'owned:' .. owner, room)
local result = {'ok'}
for _, member in ipairs(members) do result[#result + 1] = member end
return result
