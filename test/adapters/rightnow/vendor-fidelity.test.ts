import { MemoryMappingStore } from '../../../src/store/memory-store.js';
import type { RightNowConnector } from '../../../adapters/rightnow/index.js';
import { type RightNowSimulator, type RightNowSimulatorOptions, startRightNowSimulator } from '../../../adapters/rightnow/simulator/index.js';
import { acceptedEngagement, deliveryContext, event, makeConnector, makeRuntime, rightnowConfig, type TestRuntime, waitFor } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

/** What an independent reading of the RightNow docs demands beyond the happy path (issue 11). */
describe('rightnow vendor fidelity', () => {
  let sim: RightNowSimulator;
  let store: MemoryMappingStore;
  let runtime: TestRuntime;
  let conns: RightNowConnector[];

  async function setup(shapes: RightNowSimulatorOptions = {}, overrides: Record<string, unknown> = {}): Promise<RightNowConnector> {
    sim = await startRightNowSimulator({ pollHoldMs: 200, ...shapes });
    store = new MemoryMappingStore();
    runtime = makeRuntime(store);
    conns = [makeConnector(rightnowConfig(sim, overrides), runtime)];
    return conns[0]!;
  }

  afterEach(async () => {
    for (const c of conns) await c.stop();
    await sim.close();
  });

  const texts = () => runtime.events.filter((e) => e.kind === 'message').map((e) => (e as { text: string }).text);
  const ended = () => runtime.events.filter((e) => e.kind === 'conversation.ended');
  const postSequences = (sessionId: string) =>
    sim.emitted.filter((m) => m.sessionId === sessionId && m.type === 'ChatPostMessage').map((m) => m.body.sequenceNumber as number);

  it('when the session expires mid-conversation and the re-logon restarts the channel sequences, then every later post arrives once', async () => {
    const conn = await setup({ endUserPosts: 'without-message-id' });
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    sim.customerSays(engagementId, 'one');
    sim.customerSays(engagementId, 'two');
    await waitFor(() => texts().length === 2, 'the first two posts');
    const [first] = sim.sessionIds();
    sim.expireSession();
    await waitFor(() => sim.sessionIds().length === 1 && sim.sessionIds()[0] !== first, 'the re-logon');
    sim.customerSays(engagementId, 'three');
    sim.customerSays(engagementId, 'four');
    await waitFor(() => texts().length === 4, 'the posts after the re-logon');

    expect(texts()).toEqual(['one', 'two', 'three', 'four']);
    expect(runtime.duplicates).toEqual([]);
    // The server really did number the later posts again from the start.
    const [second] = sim.sessionIds();
    expect(Math.min(...postSequences(second!))).toBeLessThanOrEqual(Math.max(...postSequences(first!)));
  });

  it('when the instance restarts with a new session, then posts without messageId keep arriving once', async () => {
    const conn = await setup({ endUserPosts: 'without-message-id' });
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    sim.customerSays(engagementId, 'before 1');
    sim.customerSays(engagementId, 'before 2');
    await waitFor(() => texts().length === 2, 'the first posts');
    await conn.halt();
    const restarted = makeConnector(rightnowConfig(sim, { leaseMs: 100 }), runtime);
    conns.push(restarted);
    sim.expireSession();
    await restarted.start();
    await waitFor(() => sim.count('createAutomatedAgentSession') === 2 && sim.sessionIds().length === 1, 'the new session');
    sim.customerSays(engagementId, 'after 1');
    sim.customerSays(engagementId, 'after 2');
    await waitFor(() => texts().length === 4, 'the posts on the new session');
    expect(texts()).toEqual(['before 1', 'before 2', 'after 1', 'after 2']);
    expect(runtime.duplicates).toEqual([]);
  });

  it.each([['pool-field'], ['config-item']] as const)(
    'when the pool moves (%s), then polls, posts and logoff use the new pool, and another instance follows the store',
    async (poolChange) => {
      const conn = await setup({ poolChange });
      const engagementId = await acceptedEngagement(sim, conn, runtime);
      const other = makeConnector(rightnowConfig(sim), makeRuntime(store));
      conns.push(other);
      await sendEvent(other.outbound, event({ kind: 'message', text: 'before the move' }), deliveryContext(store, engagementId));
      sim.movePool('298:2');
      await waitFor(() => sim.requests.some((r) => r.operation === 'getMessages' && r.query.pool === '298:2'), 'a poll on the new pool');
      expect(await store.hashGetAll(store.key('rightnow', 'session', 'acme', '12'))).toMatchObject({ pool: '298:2' });
      // The other instance still holds the old pool in memory: refused there, it takes the stored one.
      await sendEvent(other.outbound, event({ kind: 'message', text: 'after the move' }), deliveryContext(store, engagementId));
      await sendEvent(conn.outbound, event({ kind: 'message', text: 'from the poller' }), deliveryContext(store, engagementId));
      expect(sim.postsFor(engagementId).map((p) => p.body)).toEqual(['before the move', 'after the move', 'from the poller']);
      await conn.stop();
      expect(sim.requests.filter((r) => r.operation === 'logoff').map((r) => r.query.pool)).toEqual(['298:2']);
      expect(sim.sessionIds()).toEqual([]);
    },
  );

  it('when the end user\'s client disconnects without an engagement id, then only that conversation ends and the session is kept', async () => {
    const conn = await setup({ disconnect: 'without-engagement' });
    const leaving = await acceptedEngagement(sim, conn, runtime);
    const staying = sim.customerStartsChat({ firstName: 'Bo' });
    await waitFor(() => sim.engagementState(staying) === 'active', 'the second chat');
    sim.customerLeaves(leaving);
    await waitFor(() => ended().length === 1, 'the end of the first chat');
    sim.customerSays(staying, 'still here', { messageId: 'u-1' });
    await waitFor(() => texts().includes('still here'), 'the second chat going on');

    expect(ended()).toMatchObject([{ origin: { conversationId: leaving }, endedBy: 'customer' }]);
    expect(sim.count('createAutomatedAgentSession')).toBe(1);
    expect(sim.engagementState(staying)).toBe('active');
    await waitFor(() => sim.released.includes(Number(leaving)), 'the release');
  });

  it('when an unknown client disconnects, then nothing is re-established, and it is reported as unrecognised', async () => {
    const conn = await setup();
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    sim.notify('ChatDisconnectNotification', { clientId: 424242, reason: 'PARTICIPANT_LEFT' });
    await waitFor(() => runtime.unrecognizedSeen.length > 0, 'the report');
    expect(runtime.unrecognizedSeen).toEqual([
      { what: 'enum', detail: 'ChatDisconnectNotification: unrecognized-disconnect', payload: expect.objectContaining({ clientId: 424242, reason: 'PARTICIPANT_LEFT' }) },
    ]);
    expect(runtime.drops.filter((d) => d.type === 'ChatDisconnectNotification')).toEqual([]);
    expect(sim.count('createAutomatedAgentSession')).toBe(1);
    expect(sim.engagementState(engagementId)).toBe('active');
    expect(ended()).toEqual([]);
  });

  it('when our own client is disconnected, then the session is re-established', async () => {
    const conn = await setup({ disconnect: 'without-engagement' });
    await acceptedEngagement(sim, conn, runtime);
    const ownClientId = Number((await store.hashGetAll(store.key('rightnow', 'session', 'acme', '12'))).clientId);
    sim.notify('ChatDisconnectNotification', { clientId: ownClientId, reason: 'EJECTED' });
    await waitFor(() => sim.count('createAutomatedAgentSession') === 2, 'the re-logon');
  });

  it.each([
    ['a disconnect with the engagement id', { endUserLeaves: 'disconnect', disconnect: 'with-engagement' }],
    ['a disconnect without the engagement id', { endUserLeaves: 'disconnect', disconnect: 'without-engagement' }],
    ['a participant-left notification', { endUserLeaves: 'participant-left' }],
    ['a concluded notification', { endUserLeaves: 'concluded' }],
  ] as const)('when the end user leaves (%s), then the conversation ends by the customer once, concluded and released', async (_what, shapes) => {
    const conn = await setup(shapes);
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    sim.customerLeaves(engagementId);
    await waitFor(() => sim.released.includes(Number(engagementId)), 'the release');
    expect(ended()).toMatchObject([{ id: `rightnow:${engagementId}:ended`, endedBy: 'customer', origin: { conversationId: engagementId } }]);
    expect(runtime.events.some((e) => e.kind === 'participant.left')).toBe(false);
    expect(sim.concluded).toEqual([Number(engagementId)]);
    expect(sim.released).toEqual([Number(engagementId)]);
  });

  it('when maxSessionCount is 2 and five chats end one after another by the end user, then all five are accepted and bridged', async () => {
    const conn = await setup({}, { maxSessions: 2 });
    await conn.start();
    const chats: string[] = [];
    for (let i = 0; i < 5; i++) {
      const engagementId = sim.customerStartsChat({ firstName: `Customer ${i}` });
      chats.push(engagementId);
      await waitFor(() => sim.engagementState(engagementId) === 'active', `chat ${i} to be accepted`);
      sim.customerSays(engagementId, `hello ${i}`, { messageId: `u-${i}` });
      await waitFor(() => texts().includes(`hello ${i}`), `chat ${i} to be bridged`);
      sim.customerLeaves(engagementId);
      await waitFor(() => ended().length === i + 1, `chat ${i} to end`);
    }
    await waitFor(() => sim.released.length === 5, 'every release');
    expect(sim.released).toEqual(chats.map(Number));
    expect(sim.concluded).toEqual(chats.map(Number));
  });

  it('when the agent side ends, then the engagement is concluded and released exactly once, its echo included', async () => {
    const conn = await setup();
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    expect(await sendEvent(conn.outbound, event({ kind: 'conversation.ended', endedBy: 'agent' }), deliveryContext(store, engagementId))).toEqual({ status: 'sent' });
    await waitFor(() => runtime.drops.some((d) => d.reason === 'echo'), 'the conclusion echo');
    const again = await sendEvent(conn.outbound, event({ kind: 'conversation.ended', endedBy: 'agent' }), deliveryContext(store, engagementId));
    expect(again.status).toBe('dropped');
    expect(sim.concluded).toEqual([Number(engagementId)]);
    expect(sim.released).toEqual([Number(engagementId)]);
    expect(sim.count('releaseChat')).toBe(1);
  });

  it('when concludeChat answers CONFLICT, then the engagement is still released', async () => {
    const conn = await setup();
    const engagementId = await acceptedEngagement(sim, conn, runtime);
    sim.customerLeaves(engagementId);
    sim.failNext('concludeChat', 'CONFLICT', { inBody: false });
    await waitFor(() => sim.released.includes(Number(engagementId)), 'the release');
    expect(sim.concluded).toEqual([]);
  });
});
