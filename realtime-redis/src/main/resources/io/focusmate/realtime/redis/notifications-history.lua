-- The notification history of RedisNotificationHistory: the body of the Redis Function library "realtime" (FCALL
-- realtime_publish) and of the gateway's own EVALSHA scripts, so that every publishing path runs this same code.
-- RedisNotificationHistory puts the settings before it: SIZE (publications kept per channel, 0 = history off),
-- TTL_MS (history), META_TTL_MS (epoch and last offset), IDEM_MS (idempotency window), and CLUSTER (true on a Redis
-- Cluster: K is the logical channel in braces after the key prefix, the hash tag that keeps every key below in K's
-- slot, and publications go out with SPUBLISH, sharded pub/sub).
--
-- Keys, all derived from K, the prefixed channel:
--   K..':history'     STREAM  id <offset>-0, field f = the frame as delivered; MAXLEN SIZE; PEXPIRE TTL_MS
--   K..':meta'        HASH    epoch, offset (the last one); PEXPIRE META_TTL_MS on each publish and recovery
--   K..':idem:'..key  STRING  "<epoch>:<offset>\n<frame as delivered>"; SET PX IDEM_MS NX
-- KEYS declares them: K..':meta', K..':history', and with an idempotency key K..':idem:'..key. A Redis Cluster needs
-- the real keys declared: while a slot migrates, Redis runs a script where its declared keys are, and one that
-- declared K alone (never a key) would run on the importing node and start a new history there. On one Redis, KEYS
-- may also be K alone (the first form of FCALL realtime_publish, kept for publishers written against it).
-- The logical channel written into frames is K from its first "notifications:" on (K without the key prefix), and on
-- a cluster without the closing brace.

local function fail(message)
  return redis.error_reply('ERR realtime_publish: ' .. message)
end

local DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'

local function base36(n)
  local out = ''
  repeat
    local d = n % 36
    out = string.sub(DIGITS, d + 1, d + 1) .. out
    n = math.floor(n / 36)
  until n == 0
  return out
end

-- A new epoch: the server's clock in microseconds, then 5 random characters; 15 characters of [0-9a-z].
local function new_epoch()
  local now = redis.call('TIME')
  return base36(tonumber(now[1]) * 1000000 + tonumber(now[2])) .. base36(math.random(1679616, 60466175))
end

-- The channel's meta hash, created with a new epoch at offset 0 (and any stale stream dropped) when missing.
local function meta_of(key)
  local meta, history = key .. ':meta', key .. ':history'
  local state = redis.call('HMGET', meta, 'epoch', 'offset')
  if state[1] then
    return state[1], tonumber(state[2]) or 0
  end
  local epoch = new_epoch()
  redis.call('DEL', history)
  redis.call('HSET', meta, 'epoch', epoch, 'offset', 0)
  return epoch, 0
end

local function json_string(s)
  local escaped = string.gsub(s, '[%z\1-\31"\\]', function(c)
    if c == '"' or c == '\\' then
      return '\\' .. c
    end
    return string.format('\\u%04x', string.byte(c))
  end)
  return '"' .. escaped .. '"'
end

local function is_frame(frame)
  return string.sub(frame, 1, 1) == '{' and string.sub(frame, -1) == '}'
      and string.find(frame, '"type"', 1, true) ~= nil
end

-- K, from KEYS in either form (see the top), or nil when KEYS is neither.
local function channel_key(keys, idem)
  if #keys == 1 and not CLUSTER then
    return keys[1]
  end
  local meta = keys[1]
  if not meta or string.sub(meta, -5) ~= ':meta' then
    return nil
  end
  local key = string.sub(meta, 1, -6)
  local with_idem = idem and idem ~= ''
  if keys[2] ~= key .. ':history' or #keys ~= (with_idem and 3 or 2)
      or with_idem and keys[3] ~= key .. ':idem:' .. idem then
    return nil
  end
  return key
end

local USAGE = 'call it as FCALL realtime_publish 2 <channel>:meta <channel>:history <frame>, or with an idempotency '
    .. 'key as FCALL realtime_publish 3 <channel>:meta <channel>:history <channel>:idem:<key> <frame> <key>'
    .. (CLUSTER and ', where <channel> is the channel in braces (such as {notifications:user:alice})'
        or ' (or FCALL realtime_publish 1 <channel> <frame> [key])')

-- KEYS: see the top. ARGV: frame[, idempotency key ('' = none)].
-- Returns {epoch, offset, duplicate (0/1), frame as delivered}; with SIZE 0 {'', 0, 0, frame} (published live only).
local function publish(keys, args)
  local frame, idem = args[1], args[2]
  local key = channel_key(keys, idem)
  if not key or not frame or #args > 2 then
    return fail(USAGE)
  end
  local at = string.find(key, 'notifications:', 1, true)
  if not at then
    return fail('the key is not a notification channel (such as notifications:user:alice)')
  end
  local channel = string.sub(key, at)
  if CLUSTER then
    if string.sub(key, at - 1, at - 1) ~= '{' or string.sub(key, -1) ~= '}' then
      return fail('on a Redis Cluster the key is the channel in braces (such as {notifications:user:alice})')
    end
    channel = string.sub(key, at, -2)
  end
  local publish_command = CLUSTER and 'SPUBLISH' or 'PUBLISH'
  if not is_frame(frame) then
    return fail('the frame is not a JSON object with a "type" member')
  end
  if SIZE == 0 then
    redis.call(publish_command, key, frame)
    return { '', 0, 0, frame }
  end
  local idem_key
  if idem and idem ~= '' then
    if #idem > 128 or string.find(idem, '[^ -~]') then
      return fail('an idempotency key is 1 to 128 printable ASCII characters')
    end
    idem_key = key .. ':idem:' .. idem
    local first = redis.call('GET', idem_key)
    if first then
      local colon, nl = string.find(first, ':', 1, true), string.find(first, '\n', 1, true)
      return { string.sub(first, 1, colon - 1), tonumber(string.sub(first, colon + 1, nl - 1)), 1,
               string.sub(first, nl + 1) }
    end
  end
  local epoch = meta_of(key)
  local offset = redis.call('HINCRBY', key .. ':meta', 'offset', 1)
  local sid = string.format('%.0f', offset)
  local framed = string.sub(frame, 1, -2) .. ',"channel":' .. json_string(channel)
      .. ',"offset":' .. sid .. ',"epoch":"' .. epoch .. '"}'
  redis.call('XADD', key .. ':history', 'MAXLEN', SIZE, sid .. '-0', 'f', framed)
  redis.call('PEXPIRE', key .. ':history', TTL_MS)
  redis.call('PEXPIRE', key .. ':meta', META_TTL_MS)
  if idem_key then
    redis.call('SET', idem_key, epoch .. ':' .. sid .. '\n' .. framed, 'PX', IDEM_MS, 'NX')
  end
  redis.call(publish_command, key, framed)
  return { epoch, offset, 0, framed }
end

-- KEYS: K..':meta', K..':history'. ARGV: since epoch ('' = none), since offset, max frames.
-- Returns {epoch, last offset, recovered (0/1), missed frames...}: recovered only when the position is in this
-- epoch, not ahead of the last offset, at most max frames behind, and every offset after it is still in the stream.
local function recover(keys, args)
  local key = channel_key(keys, nil)
  local epoch, last = meta_of(key)
  redis.call('PEXPIRE', key .. ':meta', META_TTL_MS)
  local reply = { epoch, last, 0 }
  local since, max = tonumber(args[2]) or 0, tonumber(args[3]) or 0
  if args[1] ~= epoch or since > last or last - since > max then
    return reply
  end
  if since < last then
    local entries = redis.call('XRANGE', key .. ':history', string.format('%.0f', since + 1) .. '-0',
        string.format('%.0f', last) .. '-0')
    if #entries ~= last - since then
      return reply
    end
    for i, entry in ipairs(entries) do
      reply[3 + i] = entry[2][2]
    end
  end
  reply[3] = 1
  return reply
end
