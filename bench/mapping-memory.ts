import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MappingStore } from '../src/store/mapping-store.js';
import { MemoryMappingStore } from '../src/store/memory-store.js';
import { RedisMappingStore } from '../src/store/redis-store.js';
import { TENANT } from './accounts.js';
import { serve } from './ipc.js';
import { deleteKeys } from './redis-keys.js';

/**
 * Child process (node --expose-gc): what one live conversation mapping costs, with `count` of them in
 * the store. A mapping is what the bridge writes for a conversation of the rightnow -> liveperson route:
 * resolveConversation (native index + conversation hash with the route's attributes) and
 * linkConversation for the other platform (its native index + the link field).
 */

export interface MappingMemory {
  conversations: number;
  memory: { bytesPerMapping: number; heapBytesPerMapping: number; fixedBytes: number; maxEntries: number; bytesPerMessage: number; messages: number };
  redis: { bytesPerMapping: number; sampled: number };
}

const COUNT = Number(process.argv[2] ?? 100_000);
const REDIS_URL = process.argv[3] ?? 'redis://127.0.0.1:6379';
const MAX_ENTRIES = 500_000; // the bridge's default store.maxEntries
const BATCH = 1000;

function collect(): { heap: number; buffers: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, buffers: usage.arrayBuffers };
}

interface Mapping {
  id: string;
  native: string;
  other: string;
}

async function createMapping(store: MappingStore, i: number): Promise<Mapping> {
  const native = String(1_000_000 + i);
  const created = await store.resolveConversation(TENANT, 'rightnow', native, {
    attrs: { customer: 'rightnow', agent: 'liveperson', createdAt: new Date().toISOString() },
  });
  if (!created) throw new Error('no conversation created');
  const other = randomUUID();
  await store.linkConversation(TENANT, created.id, 'liveperson', other);
  return { id: created.id, native, other };
}

async function createMappings(store: MappingStore, count: number, from = 0): Promise<Mapping[]> {
  const all: Mapping[] = [];
  for (let start = from; start < from + count; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, from + count - start) }, (_, k) => createMapping(store, start + k));
    all.push(...(await Promise.all(batch)));
  }
  return all;
}

/**
 * Each relayed message also leaves links in the same store (the core's linkMessage on intake, and on
 * delivery with the target's message id), for receipts and echo suppression: three entries a message.
 */
async function linkMessages(store: MappingStore, count: number): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - start) }, async (_, k) => {
      const messageId = `u-${randomBytes(6).toString('hex')}`;
      const eventId = `rightnow:${1_000_000 + ((start + k) % COUNT)}:${messageId}`;
      await store.linkMessage(TENANT, eventId, 'rightnow', messageId);
      await store.linkMessage(TENANT, eventId, 'liveperson', `${randomUUID()}:${start + k}`);
    });
    await Promise.all(batch);
  }
}

async function measureMemoryStore(): Promise<MappingMemory['memory']> {
  const empty = collect();
  const store = new MemoryMappingStore({ maxEntries: MAX_ENTRIES });
  // The LRU allocates its index and TTL arrays for maxEntries on first use: a fixed cost, counted apart.
  await createMappings(store, 1, -1);
  const before = collect();
  await createMappings(store, COUNT);
  const after = collect();
  if (store.size !== 3 * (COUNT + 1)) throw new Error(`expected ${3 * (COUNT + 1)} entries, found ${store.size}`);
  const heap = (after.heap - before.heap) / COUNT;
  const buffers = (after.buffers - before.buffers) / COUNT;
  // Half as many messages as conversations keeps every entry within maxEntries (nothing evicted).
  const messages = COUNT / 2;
  await linkMessages(store, messages);
  const withMessages = collect();
  if (store.size !== 3 * (COUNT + 1 + messages)) throw new Error('message links were evicted: lower the count');
  return {
    bytesPerMapping: Math.round(heap + buffers),
    heapBytesPerMapping: Math.round(heap),
    fixedBytes: before.heap + before.buffers - empty.heap - empty.buffers,
    maxEntries: MAX_ENTRIES,
    bytesPerMessage: Math.round((withMessages.heap + withMessages.buffers - after.heap - after.buffers) / messages),
    messages,
  };
}

/** Redis's own accounting (MEMORY USAGE, every field counted) of the three keys of sampled mappings. */
async function measureRedisStore(): Promise<MappingMemory['redis']> {
  const keyPrefix = `cbbench:${randomBytes(6).toString('hex')}:`;
  const store = RedisMappingStore.connect(REDIS_URL, { keyPrefix });
  try {
    const mappings = await createMappings(store, COUNT);
    const sample = mappings.filter((_, i) => i % Math.max(1, Math.floor(COUNT / 1000)) === 0);
    const pipeline = store.redis.pipeline();
    for (const m of sample) {
      for (const key of [store.key('conv', TENANT, m.id), store.key('native', TENANT, 'rightnow', m.native), store.key('native', TENANT, 'liveperson', m.other)]) {
        pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
      }
    }
    const results = (await pipeline.exec()) ?? [];
    const total = results.reduce((sum, [err, bytes]) => {
      if (err || typeof bytes !== 'number') throw err ?? new Error('a sampled key is missing');
      return sum + bytes;
    }, 0);
    return { bytesPerMapping: Math.round(total / sample.length), sampled: sample.length };
  } finally {
    // Connected to REDIS_URL: one endpoint, never a Cluster.
    await deleteKeys(store.redis as Redis, keyPrefix);
    await store.close();
  }
}

const result: MappingMemory = { conversations: COUNT, memory: await measureMemoryStore(), redis: await measureRedisStore() };
serve({}, result);
