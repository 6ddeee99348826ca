-- Run by RedisRoomStore as "room renew" after room-preamble.lua. ARGV: ttl, instance, now, expiry, presenceTtl,
-- users... Returns {user, version, count, ...} of the joins.
-- KEYS: presence, counter, timer, settings, users (see room-preamble.lua).
local instance, now, expiry = ARGV[2], tonumber(ARGV[3]), ARGV[4]
local out = {}
for i = 6, #ARGV do
  local user = ARGV[i]
  if redis.call('ZSCORE', presence, instance .. '|' .. user) then
    redis.call('ZADD', presence, expiry, instance .. '|' .. user)
  else
    local present = purgeAndCheck(user, now)
    addLease(instance, user, expiry)
    if not present then
      table.insert(out, user)
      table.insert(out, nextVersion())
      table.insert(out, redis.call('HLEN', users))
    end
  end
end
keepPresence(ARGV[5])
touch()
return out
