-- Run by RedisChatStore as "chat read". KEYS: seq, reads. ARGV: user, id. Returns the outcome's name.
local id = tonumber(ARGV[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if id < 1 or id > last then return 'UNKNOWN_MESSAGE' end
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if id <= current then return 'NOT_FORWARD' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 'MOVED'
