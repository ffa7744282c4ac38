/**
 * The Redis queue's atomic steps. Every script touches only keys of one partition (one hash tag),
 * so they run unchanged on Redis Cluster. Claims are fenced: only the token in `claims` may pop,
 * postpone, dead-letter, release or renew a lane.
 */

/**
 * KEYS: ready, lane, depth, seen...; ARGV: lane, now, ttlMs, channel, message, raw... Returns one
 * accepted flag per raw, then 1 when the lane entered the schedule. Only then is there new work to
 * announce on `channel` (a lane already there is claimed, due and announced, or parked until due);
 * publishing here saves the client a command per event.
 */
export const ENQUEUE = `
local n = #KEYS - 3
local res = {}
local added = 0
for i = 1, n do
  if redis.call('SET', KEYS[3 + i], '1', 'PX', ARGV[3], 'NX') then
    redis.call('RPUSH', KEYS[2], ARGV[5 + i])
    added = added + 1
    res[i] = 1
  else
    res[i] = 0
  end
end
if added > 0 then
  redis.call('INCRBY', KEYS[3], added)
  res[n + 1] = redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
  if res[n + 1] == 1 then redis.call('PUBLISH', ARGV[4], ARGV[5]) end
else
  res[n + 1] = 0
end
return res`;

/** KEYS: ready, lane, depth; ARGV: lane, now, raw, channel, message */
export const REQUEUE = `
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

/**
 * KEYS: ready, claims, attempts, lane key prefix; ARGV: now, leaseMs, token, max. Hides claimed lanes
 * until the lease ends and returns { lane, head, attempts } for each (head false when the lane is
 * empty), so the worker needs no read of its own, one round trip less per claimed lane. The lane keys are built
 * here from the prefix rather than declared, because which lanes are due is known only inside the
 * script; the prefix carries the partition's hash tag, so they are on the declared keys' Cluster slot.
 */
export const CLAIM = `
local lanes = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[4]))
local res = {}
for i, lane in ipairs(lanes) do
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), lane)
  redis.call('HSET', KEYS[2], lane, ARGV[3])
  res[i] = { lane, redis.call('LINDEX', KEYS[4] .. lane, 0), redis.call('HGET', KEYS[3], lane) or '0' }
end
return res`;

/**
 * KEYS: claims, attempts, lane, depth, ready[, dlq]; ARGV: lane, token, raw[, id, letter]. Pops the head
 * (delivered; with a dead-letter hash and a letter, dead-lettered) and returns { 1, next head }, saving
 * the worker a read; when the lane is now empty the claim is given up here too (next head false),
 * saving a release. { 0 } head changed, { -1 } claim lost.
 */
export const POP = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return { -1 } end
if redis.call('LINDEX', KEYS[3], 0) ~= ARGV[3] then return { 0 } end
redis.call('LPOP', KEYS[3])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('DECR', KEYS[4])
if KEYS[6] then redis.call('HSET', KEYS[6], ARGV[4], ARGV[5]) end
local head = redis.call('LINDEX', KEYS[3], 0)
if not head then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[5], ARGV[1])
end
return { 1, head }`;

/** KEYS: ready, claims, attempts; ARGV: lane, token, dueAt, failed attempts to add */
export const POSTPONE = `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HINCRBY', KEYS[3], ARGV[1], tonumber(ARGV[4]))
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

/** KEYS: dlq; ARGV: id */
export const TAKE_DEAD_LETTER = `
local letter = redis.call('HGET', KEYS[1], ARGV[1])
if letter then redis.call('HDEL', KEYS[1], ARGV[1]) end
return letter`;
