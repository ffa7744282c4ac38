import { LiveConversations } from '../../src/routing/live-conversations.js';
import type { MappingStore } from '../../src/store/mapping-store.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { RedisMappingStore } from '../../src/store/redis-store.js';
import { suiteRedis } from '../support/redis.js';

const { redis, prefix } = await suiteRedis();

const stores: [string, () => MappingStore][] = [
  ['memory', () => new MemoryMappingStore()],
  ...(redis ? [['redis', () => new RedisMappingStore(redis, { keyPrefix: `${prefix}${Math.random()}:` })] as [string, () => MappingStore]] : []),
];

describe.each(stores)('the live conversation index (%s store)', (_kind, makeStore) => {
  async function open(store: MappingStore, live: LiveConversations, tenant: string, native: string): Promise<string> {
    const { id } = (await store.resolveConversation(tenant, 'chat', native, { attrs: { customer: 'chat', agent: 'desk' } }))!;
    await live.opened(tenant, id);
    return id;
  }

  test('when conversations open and one ends, then the live ones are listed newest first, per tenant', async () => {
    const store = makeStore();
    const live = new LiveConversations(store);
    const first = await open(store, live, 'acme', 'n1');
    const second = await open(store, live, 'acme', 'n2');
    const third = await open(store, live, 'acme', 'n3');
    const other = await open(store, live, 'globex', 'n1');
    await live.ended('acme', second);

    expect((await live.list('acme')).map((r) => r.id)).toEqual([third, first]);
    expect((await live.list('acme', 1)).map((r) => r.links.chat)).toEqual(['n3']);
    expect((await live.list('globex')).map((r) => r.id)).toEqual([other]);
    expect((await store.getConversation('acme', second))!.attrs.endedAt).toMatch(/^\d{4}-/);
  });

  test('when more conversations open than the index holds, then the oldest fall off', async () => {
    const store = makeStore();
    const live = new LiveConversations(store, 3);
    for (const n of ['a', 'b', 'c', 'd', 'e']) await open(store, live, 'acme', n);
    expect((await live.list('acme')).map((r) => r.links.chat)).toEqual(['e', 'd', 'c']);
  });
});
