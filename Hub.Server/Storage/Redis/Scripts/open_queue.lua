-- Opens a user's inbox at connect: applies the age bound, takes (and resets) the dropped count, and returns the
-- epoch, creating it if the data is new or was lost (then a client that knew another epoch is told so).
-- ARGV: 1 base, 2 user, 3 min id ms, 4 epoch candidate. Returns {epoch, dropped}.
local base, user = ARGV[1], ARGV[2]
local inbox = base .. 'inbox:' .. user
local dropped = redis.call('XTRIM', inbox, 'MINID', ARGV[3])
dropped = dropped + tonumber(redis.call('GETDEL', base .. 'dropped:' .. user) or '0')
redis.call('SET', base .. 'epoch:' .. user, ARGV[4], 'NX')
return {redis.call('GET', base .. 'epoch:' .. user), dropped}
