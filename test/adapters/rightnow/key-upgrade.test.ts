import { sendEvent } from '../../../src/delivery/send-event.js';
import { randomUUID } from 'node:crypto';
import { RedisMappingStore } from '../../../src/store/redis-store.js';
import type { RightNowConnector } from '../../../adapters/rightnow/index.js';
import { type RightNowSimulator, startRightNowSimulator } from '../../../adapters/rightnow/simulator/index.js';
import { acceptedEngagement, deliveryContext, event, makeConnector, makeRuntime, rightnowConfig, TENANT, waitFor } from './harness.js';

/**
 * A rolling upgrade to the release whose keys are `rightnow:<tenant>:<kind>:...`, on Redis: an instance of
 * the earlier release left its agent session and sequence counter under `rightnow:<kind>:<tenant>:...`
 * and still holds the poll lease there. The upgraded instance adopts the session, counts on above the old
 * counter, and does not poll until the old instance's lease is gone.
 */
describe('rightnow keys across an upgrade (Redis)', () => {
  const keyPrefix = `test:rightnow-upgrade:${randomUUID()}:`;
  let sim: RightNowSimulator;
  let store: RedisMappingStore;
  const conns: RightNowConnector[] = [];

  beforeEach(async () => {
    sim = await startRightNowSimulator({ pollHoldMs: 100 });
    store = RedisMappingStore.connect('redis://127.0.0.1:6379', { keyPrefix });
  });

  afterEach(async () => {
    await Promise.all(conns.splice(0).map((c) => c.stop()));
    await sim.close();
    const keys = await store.redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await store.redis.del(...keys);
    await store.close();
  });

  it('when only the legacy keys hold the session and an old instance holds the lease, then the new one waits, adopts and counts on', async () => {
    const runtime = makeRuntime(store);
    const before = makeConnector(rightnowConfig(sim, { leaseMs: 600 }), runtime);
    conns.push(before);
    const engagementId = await acceptedEngagement(sim, before, runtime);
    // What an earlier release leaves: its keys only, and the lease held in its name.
    await before.stop({ handOver: true });
    await store.redis.del(store.key('rightnow', TENANT, 'session', '12'), store.key('rightnow', TENANT, 'seq', '12'));
    const legacyLease = store.key('rightnow', 'lease', TENANT, '12');
    expect(await store.setIfAbsent(legacyLease, 'old-instance', 60_000)).toBe(true);
    const sequences = () => sim.requests.map((r) => (r.body as { sequenceNumber?: number } | undefined)?.sequenceNumber ?? 0);
    const used = Math.max(...sequences());
    const polls = sim.count('getMessages');

    const after = makeConnector(rightnowConfig(sim, { leaseMs: 600 }), makeRuntime(store));
    conns.push(after);
    await after.start();
    await sendEvent(after.outbound, event({ kind: 'message', text: 'after the upgrade' }), deliveryContext(store, engagementId));
    expect(sim.postsFor(engagementId).at(-1)).toMatchObject({ body: 'after the upgrade', sequenceNumber: used + 1 });
    expect(after.polling).toBe(false);
    expect(sim.count('getMessages')).toBe(polls);

    // The old instance stops and gives its lease back.
    await store.deleteIfEquals(legacyLease, 'old-instance');
    await waitFor(() => after.polling, 'the poll lease once the old instance gave it back', 3000);
    expect(await store.get(legacyLease)).toBe(await store.get(store.key('rightnow', TENANT, 'lease', '12')));
    expect(sim.count('createAutomatedAgentSession')).toBe(1);
  });
});
