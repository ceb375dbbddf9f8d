-- Edits or deletes a message of a room (ONE partition) and announces it, atomically, as scope_append.lua stores a
-- message: the checks, the edit entry appended to the room's log after the original (trimmed to the length bound, with
-- field e = the target's position, which marks it as an edit entry), the message's latest state in the room's edits
-- hash, and the announcement with the partition's counter are one step.
-- A stream entry cannot change, so the latest state is kept beside the log: HASH edits:r/{room} target position ->
-- "{e|d}|{edit position}|{edit body}" (e edited, d deleted), indexed by the target's ms in ZSET edited:r/{room} so
-- states of messages the log no longer holds are removed here (the hash holds no more than the log does).
-- KEYS[1]: the partition's counter (routes the call to the partition's slot).
-- ARGV: 1 partition base, 2 partition number, 3 room, 4 by, 5 target position ("{ms}-{seq}"), 6 kind ('e' edit,
--       'd' delete), 7 by may delete others' messages (1/0), 8 now (ms), 9 log length, 10 trace member or '',
--       11 the edit entry's body JSON.
-- Returns {'ok', position, recipient count} | {'notfound'|'notmember'|'nomessage'|'notauthor'|'deleted'}.
local base, p, room, by, target, kind = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local mayDeleteAny, now, loglen, trace, body = ARGV[7] == '1', tonumber(ARGV[8]), ARGV[9], ARGV[10], ARGV[11]
local hash = base .. 'room:' .. room
-- A private room does not exist for a non-member (lib_room.lua).
local owner, _, _, role = room_visible(base, room, hash, by)
if not owner then return {'notfound'} end
if not role then return {'notmember'} end
local log = base .. 'log:r/' .. room
local found = redis.call('XRANGE', log, target, target)
-- Fields {'b', body} of a message, {'b', body, 'e', target} of an edit entry (not something to edit).
if #found == 0 or found[1][2][3] == 'e' then return {'nomessage'} end
local author = cjson.decode(found[1][2][2])['from']
if author ~= by and not (kind == 'd' and mayDeleteAny) then return {'notauthor'} end
local edits = base .. 'edits:r/' .. room
local state = redis.call('HGET', edits, target)
if state and string.sub(state, 1, 1) == 'd' then return {'deleted'} end

local position = next_unnumbered_position(hash, now)
redis.call('XADD', log, 'MAXLEN', loglen, position, 'b', body, 'e', target)
local index = base .. 'edited:r/' .. room
redis.call('HSET', edits, target, kind .. '|' .. position .. '|' .. body)
redis.call('ZADD', index, string.match(target, '^(%d+)-'), target)
-- States of messages older than the log's first entry (trimmed by now) are dropped.
local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)
local below = '(' .. string.match(first[1][1], '^(%d+)-')
for _, old in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', below)) do redis.call('HDEL', edits, old) end
redis.call('ZREMRANGEBYSCORE', index, '-inf', below)

local count, users = room_recipients(hash, base .. 'members:' .. room)
local counter = redis.call('INCR', KEYS[1])
redis.call('SPUBLISH', base .. 'live', '{"p":' .. p .. ',"c":' .. counter .. ',"id":"' .. position .. '/r/' .. room
  .. '","r":' .. users .. ',"b":' .. body .. trace .. '}')
return {'ok', position, count}
