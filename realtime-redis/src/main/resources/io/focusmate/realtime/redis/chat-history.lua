-- Run by RedisChatStore as "chat history". KEYS: seq, history. ARGV: after (>= 0), max (>= 0). Returns {lastId,
-- complete (0/1), data...}: the newest {@code max} messages after {@code after}, oldest first, complete when they
-- are every message in ({@code after}, lastId]; when {@code after} is past lastId (the room's ids restarted), the
-- newest {@code max} messages, incomplete.
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local after, max = tonumber(ARGV[1]), tonumber(ARGV[2])
local entries = {}
if max > 0 then
  local from = '(0-' .. ARGV[1]
  if after > last then from = '-' end
  entries = redis.call('XREVRANGE', KEYS[2], '+', from, 'COUNT', max)
end
local complete = 0
if after <= last and #entries == last - after then complete = 1 end
local out = { last, complete }
for i = #entries, 1, -1 do
  local fields = entries[i][2]
  for j = 1, #fields, 2 do
    if fields[j] == 'd' then table.insert(out, fields[j + 1]) end
  end
end
return out
