-- Run by RedisChatStore as "chat post". KEYS: seq, history[, dedup]. ARGV: dataPrefix, dataSuffix, wire channel,
-- historySize, dedupTtlMs, the publish command (PUBLISH, or SPUBLISH on a cluster). Returns {duplicate (0/1), id, data}.
local seq, history, dedup = KEYS[1], KEYS[2], KEYS[3]
if dedup then
  local earlier = redis.call('GET', dedup)
  if earlier then
    local nl = string.find(earlier, '\n', 1, true)
    return { 1, string.sub(earlier, 1, nl - 1), string.sub(earlier, nl + 1) }
  end
end
local id = redis.call('INCR', seq)
if id == 1 then
  local newest = redis.call('XREVRANGE', history, '+', '-', 'COUNT', 1)[1]
  if newest then
    local last = tonumber(string.match(newest[1], '^0%-(%d+)$') or '0')
    if last >= id then
      id = last + 1
      redis.call('SET', seq, string.format('%.0f', id))
    end
  end
end
local sid = string.format('%.0f', id)
local data = ARGV[1] .. sid .. ARGV[2]
redis.call('XADD', history, 'MAXLEN', ARGV[4], '0-' .. sid, 'd', data)
if dedup then
  redis.call('SET', dedup, sid .. '\n' .. data, 'PX', ARGV[5])
end
redis.call(ARGV[6], ARGV[3], '{"type":"message","data":' .. data .. '}')
return { 0, sid, data }
