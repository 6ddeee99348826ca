-- Run by RedisRoomStore as "room settings" after room-preamble.lua. ARGV: ttl, json, expectedVersion, user ('' for
-- none). Returns the new version, or nil on a conflict.
-- KEYS: presence, counter, timer, settings, users (see room-preamble.lua).
local current = tonumber(redis.call('HGET', settings, 'version') or '0')
if current ~= tonumber(ARGV[3]) then return false end
local v = nextVersion()
redis.call('HSET', settings, 'json', ARGV[2], 'version', num(v))
if ARGV[4] == '' then
  redis.call('HDEL', settings, 'updated_by')
else
  redis.call('HSET', settings, 'updated_by', ARGV[4])
end
touch()
return v
