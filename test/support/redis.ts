import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * The real Redis that Redis-backed suites run against. Locally a missing Redis only skips those suites
 * (with a message); under CI it fails them, so a broken CI Redis can never pass as a green run.
 */
export function redisUrlForTests(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/**
 * A connected client that answered PING, or undefined when Redis is unreachable outside CI.
 * Rejects when CI is set and Redis does not answer. Close it with `quit()` in afterAll.
 */
export async function connectTestRedis(): Promise<Redis | undefined> {
  const url = redisUrlForTests();
  // No reconnect loop: a test run wants a fast, clear answer, not minutes of retries.
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  let lastError: Error | undefined;
  redis.on('error', (err: Error) => (lastError = err));
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    const reason = `Redis at ${url} did not answer PING (${(lastError ?? (err as Error)).message})`;
    if (runningInCi()) throw new Error(`${reason}; CI is set, so the Redis-backed tests fail instead of being skipped`);
    console.warn(`SKIPPING Redis-backed tests: ${reason}. Start redis-server, or set CI=1 to make this a failure.`);
    return undefined;
  }
}

/** CI services set CI=true; CI=false or CI=0 is someone switching it off by hand. */
export function runningInCi(): boolean {
  const ci = process.env.CI?.toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** A key prefix no other run or suite shares, so parallel runs never see each other's keys. */
export function uniqueTestPrefix(label = 'cbtest'): string {
  return `${label}:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under `prefix` (SCAN, never KEYS, so a shared Redis is not blocked). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

export const TEST_REDIS_URL = redisUrlForTests();

/** Whether the Redis-backed suites run here (see connectTestRedis for the CI rule). */
export async function redisAvailable(): Promise<boolean> {
  const redis = await connectTestRedis();
  redis?.disconnect();
  return redis !== undefined;
}

export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/**
 * For a suite of its own keys: a client (undefined when Redis is unreachable outside CI) and a unique
 * prefix, with every key under it deleted and the client closed after the suite. Call at module level.
 */
export async function suiteRedis(): Promise<{ redis: Redis | undefined; prefix: string }> {
  const redis = await connectTestRedis();
  const prefix = uniqueTestPrefix();
  afterAll(async () => {
    if (!redis) return;
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });
  return { redis, prefix };
}
