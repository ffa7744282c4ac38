import { type StoreConfig, redisEndpoint } from '../config/schema.js';
import { PeerReloads } from '../config/peer-reloads.js';
import { MemoryQueueBackend } from '../delivery/memory-queue.js';
import type { QueueBackend } from '../delivery/queue-backend.js';
import { RedisQueueBackend } from '../delivery/redis-queue.js';
import type { MappingStore } from './mapping-store.js';
import { MemoryMappingStore } from './memory-store.js';
import { RedisMappingStore } from './redis-store.js';

/** What `store.kind` selects, together: the queue and the other instances ride on the store's connection. */
export interface Backends {
  store: MappingStore;
  queue: QueueBackend;
  /** Redis mode: how instances sharing the store tell each other of an admin reload. Memory mode has no peers. */
  peers?: PeerReloads;
}

/** The one place that picks memory or Redis: nothing else asks which store it runs on. */
export function createBackends(config: StoreConfig, delivery: { partitions: number }): Backends {
  const storeOptions = { keyPrefix: config.keyPrefix, mappingTtlMs: config.mappingTtlSeconds * 1000 };
  if (config.kind === 'redis') {
    const store = RedisMappingStore.connect(redisEndpoint(config), storeOptions);
    return {
      store,
      queue: new RedisQueueBackend(store.redis, { keyPrefix: config.keyPrefix, partitions: delivery.partitions }),
      peers: new PeerReloads(store.redis, `${config.keyPrefix}config-reload`),
    };
  }
  return { store: new MemoryMappingStore({ ...storeOptions, maxEntries: config.maxEntries }), queue: new MemoryQueueBackend() };
}
