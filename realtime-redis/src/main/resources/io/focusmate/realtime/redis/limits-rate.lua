-- Run by RedisUserLimits as "limits rate". KEYS[1]: the user's token bucket (HASH: tokens, at = epoch ms of the last
-- refill). ARGV: tokens per second, burst, now, ttl in ms (the time an empty bucket takes to fill, plus a margin).
-- A missing bucket is full. Refills for the time since 'at' (none when now is earlier: a clock behind never creates
-- tokens), then takes one token if there is one. Returns 1 when taken, 0 when the bucket is empty.
local bucket = KEYS[1]
local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', bucket, 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if not tokens or not at then
  tokens, at = burst, now
end
if now > at then
  tokens = tokens + (now - at) * rate / 1000
  at = now
end
tokens = math.min(burst, tokens)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', bucket, 'tokens', string.format('%.17g', tokens), 'at', string.format('%.0f', at))
redis.call('PEXPIRE', bucket, ARGV[4])
return taken
