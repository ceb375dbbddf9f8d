-- Members of a room (the room's partition). KEYS[1]: the room hash. ARGV: 1 partition base, 2 room.
-- Returns {'ok', members...} | {'notfound'}.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'notfound'} end
local result = {'ok'}
for _, member in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'members:' .. ARGV[2])) do result[#result + 1] = member end
return result
