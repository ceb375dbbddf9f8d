-- Every room with owner and creation time. ARGV: 1 base. Returns {name, owner, created, name, owner, created, ...}.
local base = ARGV[1]
local result = {}
for _, room in ipairs(redis.call('SMEMBERS', base .. 'rooms')) do
  local info = redis.call('HMGET', base .. 'room:' .. room, 'owner', 'created')
  if info[1] then
    result[#result + 1] = room
    result[#result + 1] = info[1]
    result[#result + 1] = info[2]
  end
end
return result
