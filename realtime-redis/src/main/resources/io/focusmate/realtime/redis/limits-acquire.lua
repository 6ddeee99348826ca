-- Run by RedisUserLimits as "limits acquire". KEYS[1]: the user's connection set (ZSET: connection id scored by its
-- lease's expiry in epoch ms). ARGV: connection id, max, now, expiry, ttl in ms.
-- Drops the expired leases, then adds the connection unless max unexpired ones are already there (a connection that
-- is already there is extended). Returns 1 when the connection holds a lease, 0 when refused.
local set, id, max, now = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3]
redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
if not redis.call('ZSCORE', set, id) and redis.call('ZCARD', set) >= max then
  return 0
end
redis.call('ZADD', set, ARGV[4], id)
redis.call('PEXPIRE', set, ARGV[5])
return 1
