-- Run by RedisUserLimits as "limits renew". KEYS[i]: the connection set of lease i (keys may repeat).
-- ARGV: now, expiry, ttl in ms, then the connection id of each lease, in KEYS order.
-- Extends each lease still held (present and unexpired); returns the 1-based indexes of the others, untouched.
local now, expiry, ttl = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local lost = {}
for i, set in ipairs(KEYS) do
  local id = ARGV[i + 3]
  local score = redis.call('ZSCORE', set, id)
  if score and tonumber(score) > now then
    redis.call('ZADD', set, expiry, id)
    redis.call('PEXPIRE', set, ttl)
  else
    table.insert(lost, i)
  end
end
return lost
