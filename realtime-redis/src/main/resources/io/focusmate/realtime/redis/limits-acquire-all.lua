-- Run by RedisUserLimits as "limits acquire-all": takes a place for each connection, in order (one or several).
-- KEYS[i]: the connection set of lease i (keys may repeat). ARGV: max, now, expiry, ttl in ms, then the connection id
-- of each lease, in KEYS order. For each: drops the set's expired leases, then adds the connection unless max
-- unexpired ones are already there (a connection that is already there is extended). Returns the 1-based indexes of
-- the refused ones.
local max, now, expiry, ttl = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
local refused = {}
for i, set in ipairs(KEYS) do
  local id = ARGV[i + 4]
  redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
  if not redis.call('ZSCORE', set, id) and redis.call('ZCARD', set) >= max then
    table.insert(refused, i)
  else
    redis.call('ZADD', set, expiry, id)
    redis.call('PEXPIRE', set, ttl)
  end
end
return refused
