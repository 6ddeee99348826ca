-- Run by RedisRoomStore as "room expire" after room-preamble.lua. ARGV: ttl, now. Returns {user, version, count,
-- ...} of the users now absent everywhere, sorted.
-- KEYS: presence, counter, timer, settings, users (see room-preamble.lua).
local gone = redis.call('ZRANGEBYSCORE', presence, '-inf', ARGV[2])
if #gone == 0 then return {} end
redis.call('ZREMRANGEBYSCORE', presence, '-inf', ARGV[2])
local lists, touched = {}, {}
for _, member in ipairs(gone) do
  local sep = string.find(member, '|', 1, true)
  local instance, user = string.sub(member, 1, sep - 1), string.sub(member, sep + 1)
  if not lists[user] then
    lists[user] = instancesOf(user)
    table.insert(touched, user)
  end
  lists[user] = without(lists[user], instance)
end
table.sort(touched)
local out = {}
for _, user in ipairs(touched) do
  setInstances(user, lists[user])
end
local count = redis.call('HLEN', users)
local left = {}
for _, user in ipairs(touched) do
  if #lists[user] == 0 then table.insert(left, user) end
end
count = count + #left
for _, user in ipairs(left) do
  count = count - 1
  table.insert(out, user)
  table.insert(out, nextVersion())
  table.insert(out, count)
end
return out
