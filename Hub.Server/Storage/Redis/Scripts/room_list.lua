-- A page of rooms by name, with owner and creation time. Names sort by byte (ordinal), as Redis orders members with
-- equal scores (ZRANGEBYLEX). ARGV: 1 base, 2 after ('' for the first page), 3 limit.
-- Returns {more (1/0), name, owner, created, name, owner, created, ...}.
local base, after, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local from = after == '' and '-' or '(' .. after
local names = redis.call('ZRANGEBYLEX', base .. 'room-names', from, '+', 'LIMIT', 0, limit + 1)
local result = {#names > limit and 1 or 0}
for i = 1, math.min(#names, limit) do
  local info = redis.call('HMGET', base .. 'room:' .. names[i], 'owner', 'created')
  if info[1] then
    result[#result + 1] = names[i]
    result[#result + 1] = info[1]
    result[#result + 1] = info[2]
  end
end
return result
