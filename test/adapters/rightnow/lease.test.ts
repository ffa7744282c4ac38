import { randomUUID } from 'node:crypto';
import { RedisMappingStore } from '../../../src/store/redis-store.js';
import type { RightNowConnector } from '../../../adapters/rightnow/index.js';
import { type RightNowSimulator, startRightNowSimulator } from '../../../adapters/rightnow/simulator/index.js';
import { deliveryContext, event, makeConnector, makeRuntime, rightnowConfig, type TestRuntime, waitFor } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

describe('rightnow poll lease (Redis, two instances)', () => {
  const keyPrefix = `test:rightnow:${randomUUID()}:`;
  let sim: RightNowSimulator;
  let stores: RedisMappingStore[];
  let runtimes: TestRuntime[];
  let conns: RightNowConnector[];

  beforeEach(async () => {
    sim = await startRightNowSimulator({ pollHoldMs: 100 });
    stores = [RedisMappingStore.connect('redis://127.0.0.1:6379', { keyPrefix }), RedisMappingStore.connect('redis://127.0.0.1:6379', { keyPrefix })];
    runtimes = stores.map((s) => makeRuntime(s));
    conns = runtimes.map((r) => makeConnector(rightnowConfig(sim, { leaseMs: 300 }), r));
  });

  afterEach(async () => {
    await Promise.all(conns.map((c) => c.stop()));
    await sim.close();
    const keys = await stores[0]!.redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await stores[0]!.redis.del(...keys);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('when two instances start, then exactly one polls and the other never issues getMessages', async () => {
    await Promise.all(conns.map((c) => c.start()));
    await waitFor(() => conns.some((c) => c.polling), 'a lease holder');
    const engagementId = sim.customerStartsChat({ firstName: 'Ada' });
    sim.customerSays(engagementId, 'hello', { messageId: 'u-1' });
    await waitFor(() => runtimes.some((r) => r.events.some((e) => e.kind === 'message')), 'the message');
    await new Promise((r) => setTimeout(r, 400));
    expect(conns.filter((c) => c.polling)).toHaveLength(1);
    const owner = conns.findIndex((c) => c.polling);
    expect(runtimes[1 - owner]!.events).toEqual([]);
    expect(runtimes[owner]!.events.map((e) => e.kind)).toEqual(['conversation.started', 'message']);
    expect(sim.count('createAutomatedAgentSession')).toBe(1);
    expect(sim.requests.filter((r) => r.operation === 'getMessages').every((r) => r.headers['x-jsessionid'] === sim.sessionIds()[0])).toBe(true);
  });

  it('when the polling instance dies without releasing, then the other takes over once the lease expires', async () => {
    await Promise.all(conns.map((c) => c.start()));
    await waitFor(() => conns.some((c) => c.polling), 'a lease holder');
    const owner = conns.findIndex((c) => c.polling);
    const survivor = 1 - owner;
    const engagementId = sim.customerStartsChat({ firstName: 'Ada' });
    await waitFor(() => sim.engagementState(engagementId) === 'active', 'the offer to be accepted');

    await conns[owner]!.halt();
    await waitFor(() => conns[survivor]!.polling, 'the takeover', 3000);
    sim.customerSays(engagementId, 'is anyone there?', { messageId: 'u-2' });
    await waitFor(() => runtimes[survivor]!.events.some((e) => e.kind === 'message'), 'the message at the survivor');

    expect(runtimes[survivor]!.events.find((e) => e.kind === 'message')).toMatchObject({ id: `rightnow:${engagementId}:u-2` });
    // The survivor's sends continue the Redis counter on the adopted session, and the server accepts them.
    const used = Math.max(...sim.requests.map((r) => (r.body as { sequenceNumber?: number } | undefined)?.sequenceNumber ?? 0));
    await sendEvent(conns[survivor]!.outbound, event({ kind: 'message', text: 'I am here' }), deliveryContext(stores[survivor]!, engagementId));
    expect(sim.postsFor(engagementId).map((p) => [p.body, p.sequenceNumber > used])).toEqual([['I am here', true]]);
    expect(runtimes[owner]!.events.some((e) => e.kind === 'message')).toBe(false);
    expect(sim.count('logoff')).toBe(0);
    // The survivor adopted the session the dead instance left in the store.
    expect(sim.count('createAutomatedAgentSession')).toBe(1);
  });
});
