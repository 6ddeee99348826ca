-- Run by RedisUserLimits as "limits release-all". KEYS[i]: the connection set of lease i (keys may repeat).
-- ARGV: the connection id of each lease, in KEYS order. Drops each lease if held. Returns an empty list.
for i, set in ipairs(KEYS) do
  redis.call('ZREM', set, ARGV[i])
end
return {}
