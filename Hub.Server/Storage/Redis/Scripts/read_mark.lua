-- Moves a user's read position in a room or conversation (its partition): clamped to the last seq, never backwards.
-- KEYS[1]: the room's hash (room:{room}) or the conversation's (dm:{a}/{b}), which hold the last seq and read:{user}.
-- ARGV: 1 partition base, 2 kind ('r' | 'd'), 3 name, 4 user, 5 seq.
-- Returns {'moved', seq} | {'same', read seq} | {'notfound'} | {'notmember'}.
local base, kind, name, user = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if kind == 'r' then
  -- A private room does not exist for a non-member (lib_room.lua).
  local owner, _, _, role = room_visible(base, name, KEYS[1], user)
  if not owner then return {'notfound'} end
  if not role then return {'notmember'} end
elseif redis.call('EXISTS', KEYS[1]) == 0 then
  return {'notfound'}
end
local last = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local seq = math.min(tonumber(ARGV[5]), last)
local field = 'read:' .. user
local read = tonumber(redis.call('HGET', KEYS[1], field) or '0')
if seq <= read then return {'same', read} end
redis.call('HSET', KEYS[1], field, seq)
return {'moved', seq}
