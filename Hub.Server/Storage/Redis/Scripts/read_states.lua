-- The last position and one user's read position of several rooms and conversations of ONE partition (MyRooms).
-- KEYS[1]: the partition's counter (routes the call to the partition's slot; not touched).
-- ARGV: 1 partition base, 2 user, then pairs: kind ('r' room | 'd' conversation), name.
-- Returns one {exists (1/0), ms, seq, read seq, private (1/0)} per pair, in order.
local base, user = ARGV[1], ARGV[2]
local result = {}
for i = 3, #ARGV, 2 do
  local hash = base .. (ARGV[i] == 'r' and 'room:' or 'dm:') .. ARGV[i + 1]
  local v = redis.call('HMGET', hash, 'ms', 'seq', 'read:' .. user, 'private', 'owner')
  -- A room hash always has an owner; a conversation's exists once its first message is stored.
  local exists = (v[5] or v[2]) and 1 or 0
  result[#result + 1] = {exists, tonumber(v[1] or '0'), tonumber(v[2] or '0'), tonumber(v[3] or '0'), v[4] == '1' and 1 or 0}
end
return result
