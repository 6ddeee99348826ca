-- Run by RedisRoomStore as "room join" after room-preamble.lua. ARGV: ttl, instance, user, now, expiry,
-- presenceTtl. Returns {version, count}, or nil.
-- KEYS: presence, counter, timer, settings, users (see room-preamble.lua).
local user = ARGV[3]
local present = purgeAndCheck(user, tonumber(ARGV[4]))
addLease(ARGV[2], user, ARGV[5])
keepPresence(ARGV[6])
touch()
if present then return false end
return { nextVersion(), redis.call('HLEN', users) }
