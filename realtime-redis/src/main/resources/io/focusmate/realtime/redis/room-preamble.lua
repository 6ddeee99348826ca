-- The shared functions of the room scripts, prepended to each. KEYS: presence, counter, timer, settings, users.
-- ARGV[1]: the TTL in ms of counter, timer and settings.
local presence, counter, timer, settings, users = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local ttl = ARGV[1]
local function num(n) return string.format('%.0f', n) end
local function touch()
  redis.call('PEXPIRE', counter, ttl)
  redis.call('PEXPIRE', timer, ttl)
  redis.call('PEXPIRE', settings, ttl)
end
-- A missing counter (a new room, or a Redis that lost its data) starts at Redis's clock in microseconds,
-- so versions keep rising across a data loss and gateways never take new events for stale ones.
local function nextVersion()
  local v
  if redis.call('EXISTS', counter) == 0 then
    local t = redis.call('TIME')
    v = tonumber(t[1]) * 1000000 + tonumber(t[2])
  else
    v = redis.call('INCR', counter)
  end
  local floor = math.max(tonumber(redis.call('HGET', timer, 'version') or '0'),
                         tonumber(redis.call('HGET', settings, 'version') or '0'))
  if v <= floor then
    v = floor + 1
  end
  redis.call('SET', counter, num(v))
  redis.call('PEXPIRE', counter, ttl)
  return v
end
-- the users index: user -> the instances holding one of their leases, joined by '|'
local function instancesOf(user)
  local out = {}
  for instance in string.gmatch(redis.call('HGET', users, user) or '', '[^|]+') do
    table.insert(out, instance)
  end
  return out
end
local function setInstances(user, list)
  if #list == 0 then redis.call('HDEL', users, user)
  else redis.call('HSET', users, user, table.concat(list, '|')) end
end
local function without(list, instance)
  local out = {}
  for _, i in ipairs(list) do if i ~= instance then table.insert(out, i) end end
  return out
end
local function addLease(instance, user, expiry)
  redis.call('ZADD', presence, expiry, instance .. '|' .. user)
  local list = without(instancesOf(user), instance)
  table.insert(list, instance)
  setInstances(user, list)
end
local function removeLease(instance, user)
  local had = redis.call('ZREM', presence, instance .. '|' .. user) == 1
  setInstances(user, without(instancesOf(user), instance))
  return had
end
-- drops the user's expired leases; true when an unexpired one remains
local function purgeAndCheck(user, now)
  local keep = {}
  for _, instance in ipairs(instancesOf(user)) do
    local member = instance .. '|' .. user
    local expiry = redis.call('ZSCORE', presence, member)
    if expiry and tonumber(expiry) > now then
      table.insert(keep, instance)
    elseif expiry then
      redis.call('ZREM', presence, member)
    end
  end
  setInstances(user, keep)
  return #keep > 0
end
local function keepPresence(presenceTtl)
  redis.call('PEXPIRE', presence, presenceTtl)
  redis.call('PEXPIRE', users, presenceTtl)
end
