-- Run by RedisRoomStore as "room presence" after room-preamble.lua. ARGV: ttl, now, listLimit. Returns {version,
-- count, user, ...}: each present user once when there are at most listLimit users (by the index), else none.
-- KEYS: presence, counter, timer, settings, users (see room-preamble.lua).
local version = tonumber(redis.call('GET', counter) or '0')
local indexed = redis.call('HLEN', users)
if indexed > tonumber(ARGV[3]) then return { version, indexed } end
local out, seen, count = { version, 0 }, {}, 0
for _, member in ipairs(redis.call('ZRANGEBYSCORE', presence, '(' .. ARGV[2], '+inf')) do
  local user = string.sub(member, string.find(member, '|', 1, true) + 1)
  if not seen[user] then
    seen[user] = true
    count = count + 1
    table.insert(out, user)
  end
end
out[2] = count
return out
