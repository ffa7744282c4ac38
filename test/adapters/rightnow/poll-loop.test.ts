import { MemoryMappingStore } from '../../../src/store/memory-store.js';
import type { RightNowConnector } from '../../../adapters/rightnow/index.js';
import { type RightNowSimulator, startRightNowSimulator } from '../../../adapters/rightnow/simulator/index.js';
import { acceptedEngagement, deliveryContext, event, makeConnector, makeRuntime, rightnowConfig, type TestRuntime, waitFor } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

describe('rightnow long-poll loop', () => {
  let sim: RightNowSimulator;
  let store: MemoryMappingStore;
  let runtime: TestRuntime;
  let conn: RightNowConnector;

  beforeEach(async () => {
    sim = await startRightNowSimulator({ pollHoldMs: 200 });
    store = new MemoryMappingStore();
    runtime = makeRuntime(store);
    conn = makeConnector(rightnowConfig(sim), runtime);
  });

  afterEach(async () => {
    await conn.stop();
    await sim.close();
  });

  it('when an end user chats, types, leaves, then the core receives started, message, typing, ended in order', async () => {
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    sim.customerSays(engagementId, 'hello', { messageId: 'u-1' });
    sim.customerTyping(engagementId, true);
    sim.customerTyping(engagementId, false);
    sim.customerSays(engagementId, 'anyone?', { messageId: 'u-2' });
    sim.customerLeaves(engagementId);
    await waitFor(() => runtime.events.some((e) => e.kind === 'conversation.ended'), 'conversation.ended');

    expect(runtime.events.map((e) => e.kind)).toEqual([
      'conversation.started', 'message', 'typing', 'typing', 'message', 'conversation.ended',
    ]);
    const [started, hello, typingOn, typingOff] = runtime.events;
    expect(started).toMatchObject({
      id: `rightnow:${engagementId}:offer`,
      origin: { platform: 'rightnow', conversationId: engagementId },
      customer: { firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada Lovelace', email: 'ada@example.com' },
      subject: 'Billing',
    });
    expect(hello).toMatchObject({ id: `rightnow:${engagementId}:u-1`, text: 'hello', sender: { role: 'customer' }, origin: { messageId: 'u-1' } });
    expect(typingOn).toMatchObject({ kind: 'typing', state: 'start' });
    expect(typingOff).toMatchObject({ kind: 'typing', state: 'stop' });
    expect(runtime.events.at(-1)).toMatchObject({ kind: 'conversation.ended', endedBy: 'customer' });
    const accept = sim.requests.find((r) => r.operation === 'assignmentAcknowledgement');
    expect(accept?.body).toMatchObject({ action: 'ACCEPT', actionType: 'AUTO', assignmentType: 'LEAD', engagementId: Number(engagementId) });
  });

  it('when the bridge posts, then its own post coming back in getMessages is not ingested', async () => {
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    await sendEvent(conn.outbound, event({ kind: 'message', text: 'hi from the agent' }), deliveryContext(store, engagementId));
    sim.customerSays(engagementId, 'thanks', { messageId: 'u-9' });
    await waitFor(() => runtime.events.some((e) => e.kind === 'message'), 'the end user message');
    await new Promise((r) => setTimeout(r, 50));
    expect(runtime.events.filter((e) => e.kind === 'message').map((e) => (e as { text: string }).text)).toEqual(['thanks']);
    expect(runtime.drops).toContainEqual({ kind: 'vendor', reason: 'echo', type: 'ChatPostMessage' });
  });

  it('when ingest fails, then the same batch is retried with identical event ids and accepted once', async () => {
    await conn.start();
    await waitFor(() => sim.count('getMessages') >= 1, 'a long poll');
    runtime.failIngest(2);
    const engagementId = sim.customerStartsChat({ firstName: 'Bo' });
    sim.customerSays(engagementId, 'first', { messageId: 'u-1' });
    await waitFor(() => sim.engagementState(engagementId) === 'active', 'the offer to be accepted');
    const expected = [`rightnow:${engagementId}:offer`, `rightnow:${engagementId}:u-1`];
    expect(runtime.attempts.slice(0, 3)).toEqual([expected, expected, expected]);
    expect(runtime.events.map((e) => e.id)).toEqual(expected);
    expect(sim.count('assignmentAcknowledgement')).toBe(1);
  });

  it('when getMessages keeps failing, then the loop backs off instead of spinning', async () => {
    sim.failNext('getMessages', 503, { times: 10_000 });
    await conn.start();
    await waitFor(() => sim.count('getMessages') > 3, 'the loop to keep retrying');
    const before = sim.count('getMessages');
    await new Promise((r) => setTimeout(r, 300));
    // With 5..40 ms back-off, 300 ms allows a few dozen tries at most; a spinning loop would make thousands.
    expect(sim.count('getMessages') - before).toBeLessThan(60);
  });

  it('when stop() is called during a long poll, then it does not wait for the poll and logs the session off', async () => {
    await sim.close();
    sim = await startRightNowSimulator({ pollHoldMs: 60_000 });
    conn = makeConnector(rightnowConfig(sim), runtime);
    await conn.start();
    await waitFor(() => sim.count('getMessages') >= 1, 'a long poll');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      conn.stop().then(() => 'stopped'),
      new Promise((r) => {
        timer = setTimeout(() => r('still waiting for the 60 s poll'), 3000);
      }),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe('stopped');
    expect(sim.count('logoff')).toBe(1);
    expect(sim.sessionIds()).toEqual([]);
  });

  it('when the server answers in the Customer Portal envelope, then the same events come out', async () => {
    await conn.stop();
    await sim.close();
    sim = await startRightNowSimulator({ pollHoldMs: 200, envelope: 'portal' });
    conn = makeConnector(rightnowConfig(sim), runtime);
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    sim.customerSays(engagementId, 'hello', { messageId: 'u-1' });
    await waitFor(() => runtime.events.some((e) => e.kind === 'message'), 'the message');
    expect(runtime.events.map((e) => e.id)).toEqual([`rightnow:${engagementId}:offer`, `rightnow:${engagementId}:u-1`]);
  });

  it('when the chat server moves to another pool, then later calls use the new pool', async () => {
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    sim.movePool('298:2');
    await waitFor(() => sim.requests.some((r) => r.operation === 'getMessages' && r.query.pool === '298:2'), 'a poll on the new pool');
    await sendEvent(conn.outbound, event({ kind: 'message', text: 'after the move' }), deliveryContext(store, engagementId));
    expect(sim.postsFor(engagementId).map((p) => p.body)).toEqual(['after the move']);
    expect(await store.hashGetAll(store.key('rightnow', 'session', 'acme', '12'))).toMatchObject({ pool: '298:2' });
  });

  it('when the session expires, then the loop re-establishes it and keeps receiving', async () => {
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    sim.expireSession();
    sim.customerSays(engagementId, 'still there?', { messageId: 'u-3' });
    await waitFor(() => runtime.events.some((e) => e.kind === 'message'), 'the message after re-logon');
    expect(sim.count('createAutomatedAgentSession')).toBe(2);
  });
});
