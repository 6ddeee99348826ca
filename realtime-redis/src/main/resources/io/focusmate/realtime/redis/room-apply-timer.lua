-- Run by RedisRoomStore as "room timer" after room-preamble.lua. ARGV: ttl, command, duration, user ('' for none),
-- now. Returns {status, duration, remaining, ends_at, version}, or nil when the command does not apply.
-- KEYS: presence, counter, timer, settings, users (see room-preamble.lua).
local command, user, now = ARGV[2], ARGV[4], tonumber(ARGV[5])
local t = redis.call('HMGET', timer, 'status', 'duration_ms', 'remaining_ms', 'ends_at')
local status = t[1] or 'idle'
local duration = tonumber(t[2] or '0')
local remaining = tonumber(t[3] or '0')
local endsAt = tonumber(t[4] or '0')
if command == 'START' then
  duration = tonumber(ARGV[3])
  status, remaining, endsAt = 'running', duration, now + duration
elseif command == 'PAUSE' then
  if status ~= 'running' then return false end
  status, remaining, endsAt = 'paused', math.max(0, endsAt - now), 0
elseif command == 'RESUME' then
  if status ~= 'paused' then return false end
  status, endsAt = 'running', now + remaining
elseif command == 'RESET' then
  status, remaining, endsAt = 'idle', duration, 0
else
  return redis.error_reply('unknown timer command ' .. command)
end
local v = nextVersion()
redis.call('HSET', timer, 'status', status, 'duration_ms', num(duration), 'remaining_ms', num(remaining),
           'ends_at', num(endsAt), 'version', num(v))
if user == '' then
  redis.call('HDEL', timer, 'updated_by')
else
  redis.call('HSET', timer, 'updated_by', user)
end
touch()
return { status, num(duration), num(remaining), num(endsAt), num(v) }
