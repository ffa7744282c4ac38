import type { Redis } from 'ioredis';

/** Removes every key under the benchmark's prefix (SCAN, so a shared Redis is never blocked). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  const stream = redis.scanStream({ match: `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, count: 1000 });
  let deleted = 0;
  for await (const keys of stream as AsyncIterable<string[]>) {
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  }
  return deleted;
}
