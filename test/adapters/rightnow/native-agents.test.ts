import { MemoryMappingStore } from '../../../src/store/memory-store.js';
import type { RightNowConnector } from '../../../adapters/rightnow/index.js';
import { type RightNowSimulator, startRightNowSimulator } from '../../../adapters/rightnow/simulator/index.js';
import { deliveryContext, makeConnector, makeRuntime, rightnowConfig, type TestRuntime, waitFor } from './harness.js';

/** The adapter's side of the native share: the core leaves an offer to RightNow's own agents during the ingest. */
describe('rightnow handToNativeAgents', () => {
  let sim: RightNowSimulator;
  let store: MemoryMappingStore;
  let runtime: TestRuntime;
  let conn: RightNowConnector;
  /** Whether the stand-in core draws new conversations for the native share. */
  let drawNative: boolean;

  beforeEach(async () => {
    drawNative = true;
    sim = await startRightNowSimulator({ pollHoldMs: 200 });
    store = new MemoryMappingStore();
    runtime = makeRuntime(store);
    // As the core does for a conversation drawn for the native share: the port is called inside the ingest.
    const ingest = runtime.ingest.bind(runtime);
    runtime.ingest = async (events) => {
      for (const e of events) {
        if (drawNative && e.kind === 'conversation.started') await conn.handToNativeAgents(deliveryContext(store, e.origin.conversationId).conversation, { fresh: true });
      }
      return ingest(events);
    };
    conn = makeConnector(rightnowConfig(sim, { minBackoffMs: 5, maxBackoffMs: 20 }), runtime);
  });

  afterEach(async () => {
    await conn.stop();
    await sim.close();
  });

  it('when rerouteEngagement fails once, then the batch is handled again and the offer is accepted and rerouted, never declined, posted in or released', async () => {
    sim.failNext('rerouteEngagement', 'UNKNOWN_EXCEPTION');
    await conn.start();
    const engagement = sim.customerStartsChat({ firstName: 'Ada' });
    sim.customerSays(engagement, 'hello', { messageId: 'u-1' });
    await waitFor(() => sim.rerouted.length === 1, 'the reroute');

    expect(sim.rerouted).toEqual([Number(engagement)]);
    expect(sim.engagementState(engagement)).toBe('rerouted');
    const calls = sim.requests.filter((r) => r.operation === 'assignmentAcknowledgement' || r.operation === 'rerouteEngagement');
    expect(calls.map((r) => [r.operation, (r.body as { action?: string }).action])).toEqual([
      ['assignmentAcknowledgement', 'ACCEPT'],
      ['rerouteEngagement', undefined],
      ['assignmentAcknowledgement', 'ACCEPT'],
      ['rerouteEngagement', undefined],
    ]);
    expect(calls[1]!.body).toMatchObject({ engagementId: Number(engagement), sequenceNumber: expect.any(Number) });
    expect(sim.declined).toEqual([]);
    expect(sim.posts).toEqual([]);

    // The chat is RightNow's agents' now: the automated agent hears nothing more and never concludes it.
    sim.customerSays(engagement, 'a human, finally', { messageId: 'u-2' });
    sim.customerLeaves(engagement);
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.escalated.map((e) => e.type)).toHaveLength(2);
    expect(sim.concluded).toEqual([]);
    expect(sim.released).toEqual([]);
  });

  it('when a live engagement is handed back with a summary, then the summary is posted for agents only and the engagement rerouted', async () => {
    drawNative = false;
    await conn.start();
    const engagement = sim.customerStartsChat({ firstName: 'Ada' });
    await waitFor(() => sim.engagementState(engagement) === 'active', 'the accepted offer');

    await conn.handToNativeAgents(deliveryContext(store, engagement).conversation, { fresh: false, summary: 'Customer: hello' });
    expect(sim.postsFor(engagement).map((p) => [p.body, p.visibility])).toEqual([['Customer: hello', 'NOT_ENDUSER']]);
    expect(sim.rerouted).toEqual([Number(engagement)]);
  });
});
