import { randomUUID } from 'node:crypto';
import { type LivePersonSimulator, startLivePersonSimulator } from '../../../adapters/liveperson/simulator/index.js';
import { RedisMappingStore } from '../../../src/store/redis-store.js';
import { deliver, deliveryContext, event, makeConnector, makeRuntime } from './harness.js';

/** Two bridge instances sharing Redis: what one learnt about LivePerson, the other uses. */
describe('LivePerson state shared between instances (Redis)', () => {
  let sim: LivePersonSimulator;
  let store: RedisMappingStore;
  const prefix = `cbtest:lp:${randomUUID()}:`;

  beforeAll(async () => {
    sim = await startLivePersonSimulator({ echo: false });
    store = RedisMappingStore.connect('redis://127.0.0.1:6379', { keyPrefix: prefix });
  });
  afterAll(async () => {
    const keys = await store.redis.keys(`${prefix}*`);
    if (keys.length > 0) await store.redis.del(...keys);
    await store.close();
    await sim.close();
  });

  const instance = () =>
    makeConnector(
      { accountId: sim.accountId, domainApiUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, scheme: 'http' },
      makeRuntime(store),
    );

  it('when another instance delivers the next message, then it reuses the ConsumerJWS and the conversation', async () => {
    const [a, b] = [instance(), instance()];
    const ctx = await deliveryContext(store);
    await deliver(a, store, event(ctx, { kind: 'message', text: 'from A' }), ctx);
    const again = await store.getConversation(ctx.conversation.tenant, ctx.conversation.id);
    expect(again!.links.liveperson).toBe(ctx.conversation.nativeId());
    await deliver(b, store, event(ctx, { kind: 'message', text: 'from B' }), ctx);
    expect(sim.state.consumersCreated).toHaveLength(1);
    expect(sim.conversations.get(ctx.conversation.nativeId()!)!.events.map((e) => e.event.message)).toEqual(['from A', 'from B']);
  });

  it('when an older conversation change reaches another instance, then it is still dropped as stale', async () => {
    const runtimeB = makeRuntime(store);
    const [a, b] = [instance(), makeConnector({ accountId: sim.accountId, clientId: 'c', clientSecret: 's' }, runtimeB)];
    const change = (ts: number, agent: string) => ({
      kind: 'notification',
      type: 'cqm.ExConversationChangeNotification',
      body: { changes: [{ type: 'UPSERT', result: { convId: 'conv-x', conversationDetails: { metaDataLastUpdateTs: ts, state: 'OPEN', participants: [{ id: agent, role: 'ASSIGNED_AGENT' }] } } }] },
    });

    expect(await a.normalize!(change(200, 'a2'))).toHaveLength(1);
    expect(await b.normalize!(change(100, 'a1'))).toEqual([]);
    expect(runtimeB.drops).toEqual([{ kind: 'vendor', reason: 'stale', type: 'cqm.ExConversationChange' }]);
  });
});
