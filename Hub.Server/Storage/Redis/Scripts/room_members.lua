-- Members of a room. ARGV: 1 base, 2 room. Returns {'ok', members...} | {'notfound'}.
local base, room = ARGV[1], ARGV[2]
if redis.call('EXISTS', base .. 'room:' .. room) == 0 then return {'notfound'} end
local result = {'ok'}
for _, member in ipairs(redis.call('SMEMBERS', base .. 'members:' .. room)) do result[#result + 1] = member end
return result
