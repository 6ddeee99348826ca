-- Run by RedisRoomStore as "room leave" after room-preamble.lua. ARGV: ttl, instance, user, now. Returns {version,
-- count}, or nil.
-- KEYS: presence, counter, timer, settings, users (see room-preamble.lua).
local user = ARGV[3]
local had = removeLease(ARGV[2], user)
local present = purgeAndCheck(user, tonumber(ARGV[4]))
if had and not present then return { nextVersion(), redis.call('HLEN', users) } end
return false
