/**
 * The Redis queue's atomic steps. Every script touches only keys of one partition (one hash tag) and
 * declares every key it touches in KEYS, so they run unchanged on Redis Cluster. Claims are fenced: only the token in `claims` may pop,
 * postpone, dead-letter, release or renew a lane.
 */

/**
 * KEYS: ready, lane, depth, claims, seen...; ARGV: lane, now, ttlMs, channel, message, token, leaseMs,
 * raw... Returns one accepted flag per raw, then 2 when the lane was idle (it held nothing before and
 * nobody held it) and is now claimed for `token` (given, '' for none) until now + leaseMs, else 1 when
 * the lane entered the schedule, else 0. Only a lane that entered the schedule is new work to announce
 * on `channel` (a lane already there is claimed, due and announced, or parked until due; a lane claimed
 * here is the caller's); publishing here saves the client a command per event.
 */
export const ENQUEUE = `
local n = #KEYS - 4
local res = {}
local added = 0
for i = 1, n do
  if redis.call('SET', KEYS[4 + i], '1', 'PX', ARGV[3], 'NX') then
    redis.call('RPUSH', KEYS[2], ARGV[7 + i])
    added = added + 1
    res[i] = 1
  else
    res[i] = 0
  end
end
if added == 0 then
  res[n + 1] = 0
  return res
end
redis.call('INCRBY', KEYS[3], added)
if ARGV[6] ~= '' and redis.call('LLEN', KEYS[2]) == added and redis.call('HEXISTS', KEYS[4], ARGV[1]) == 0 then
  redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[7]), ARGV[1])
  redis.call('HSET', KEYS[4], ARGV[1], ARGV[6])
  res[n + 1] = 2
  return res
end
res[n + 1] = redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
if res[n + 1] == 1 then redis.call('PUBLISH', ARGV[4], ARGV[5]) end
return res`;

/** KEYS: ready, lane, depth; ARGV: lane, now, raw, channel, message */
export const REQUEUE = `
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

/**
 * KEYS: ready, claims, attempts, parked, lane...; ARGV: now, leaseMs, token, lane... (the lanes the client
 * read as due, each with its list key at the same position after the first four keys). Every key is
 * declared, as Redis Cluster requires: which lanes are due is read first (ZRANGEBYSCORE), and a lane
 * claimed or rescheduled meanwhile is skipped here. Hides claimed lanes until the lease ends and
 * returns { lane, head, attempts, parked } for each (head false when the lane is empty, parked false
 * when the head was never parked), so the worker needs no read of its own after the claim.
 */
export const CLAIM = `
local now = tonumber(ARGV[1])
local res = {}
for i = 5, #KEYS do
  local lane = ARGV[i - 1]
  local due = redis.call('ZSCORE', KEYS[1], lane)
  if due and tonumber(due) <= now then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), lane)
    redis.call('HSET', KEYS[2], lane, ARGV[3])
    res[#res + 1] = { lane, redis.call('LINDEX', KEYS[i], 0), redis.call('HGET', KEYS[3], lane) or '0', redis.call('HGET', KEYS[4], lane) }
  end
end
return res`;

/**
 * KEYS: claims, attempts, lane, depth, ready, parked[, dlq]; ARGV: lane, token, raw[, id, letter]. Pops the head
 * (delivered; with a dead-letter hash and a letter, dead-lettered) and returns { 1, next head }, saving
 * the worker a read; when the lane is now empty the claim is given up here too (next head false),
 * saving a release. { 0 } head changed, { -1 } claim lost.
 */
export const POP = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return { -1 } end
if redis.call('LINDEX', KEYS[3], 0) ~= ARGV[3] then return { 0 } end
redis.call('LPOP', KEYS[3])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
redis.call('DECR', KEYS[4])
if KEYS[7] then redis.call('HSET', KEYS[7], ARGV[4], ARGV[5]) end
local head = redis.call('LINDEX', KEYS[3], 0)
if not head then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[5], ARGV[1])
end
return { 1, head }`;

/**
 * KEYS: ready, claims, attempts, parked; ARGV: lane, token, dueAt, failed attempts to add, parked
 * ("<since> <head acceptedAt> <head event id>", kept from the head's first park until it leaves the lane)
 */
export const POSTPONE = `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HINCRBY', KEYS[3], ARGV[1], tonumber(ARGV[4]))
redis.call('HSETNX', KEYS[4], ARGV[1], ARGV[5])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1`;

/** KEYS: ready, claims, lane; ARGV: lane, token, now, channel, message. 1 when work remains (announced). */
export const RELEASE = `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('LLEN', KEYS[3]) > 0 then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  redis.call('PUBLISH', ARGV[4], ARGV[5])
  return 1
end
redis.call('ZREM', KEYS[1], ARGV[1])
return 0`;

/** KEYS: ready, claims; ARGV: lane, token, until */
export const RENEW = `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
return 1`;

/**
 * KEYS: claims, attempts, lane, depth, ready, parked, dlq, group; ARGV: lane, token, raw, group, head
 * fields, rest fields. Gives the lane up whole: if the claim is ours and the head is still `raw`, every
 * event of the lane becomes a dead letter `<group>.<position>` (the JSON fields other than id, group,
 * position and delivery come from the client, the delivery is the stored event as is), the group list
 * keeps their order, and the lane leaves the schedule. Returns how many, 0 when not ours or changed.
 */
export const GIVE_UP = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if redis.call('LINDEX', KEYS[3], 0) ~= ARGV[3] then return 0 end
local items = redis.call('LRANGE', KEYS[3], 0, -1)
for i, raw in ipairs(items) do
  local id = ARGV[4] .. '.' .. i
  local fields = ARGV[6]
  if i == 1 then fields = ARGV[5] end
  redis.call('HSET', KEYS[7], id, '{"id":"' .. id .. '","group":"' .. ARGV[4] .. '","position":' .. i .. ',' .. fields .. ',"delivery":' .. raw .. '}')
  redis.call('RPUSH', KEYS[8], id)
end
redis.call('DEL', KEYS[3])
redis.call('DECRBY', KEYS[4], #items)
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
return #items`;

/**
 * KEYS: dlq, group, ready, lane, depth; ARGV: lane, now, channel, message, n, ids (n), raws (n).
 * Replays a group as the client read it: only if the group still holds exactly those letters (no
 * concurrent replay took one), they leave the dead-letter hash and go to the end of the lane together,
 * in order. 1 when replayed, 0 when the group changed meanwhile.
 */
export const REPLAY_GROUP = `
local n = tonumber(ARGV[5])
if redis.call('LLEN', KEYS[2]) ~= n then return 0 end
for i = 1, n do
  if redis.call('LINDEX', KEYS[2], i - 1) ~= ARGV[5 + i] or redis.call('HEXISTS', KEYS[1], ARGV[5 + i]) == 0 then return 0 end
end
for i = 1, n do
  redis.call('HDEL', KEYS[1], ARGV[5 + i])
  redis.call('RPUSH', KEYS[4], ARGV[5 + n + i])
end
redis.call('DEL', KEYS[2])
redis.call('INCRBY', KEYS[5], n)
redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[1])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

/** KEYS: dlq[, group]; ARGV: id. A letter of a group also leaves the group's list. */
export const TAKE_DEAD_LETTER = `
local letter = redis.call('HGET', KEYS[1], ARGV[1])
if letter then redis.call('HDEL', KEYS[1], ARGV[1]) end
if KEYS[2] then redis.call('LREM', KEYS[2], 0, ARGV[1]) end
return letter`;
