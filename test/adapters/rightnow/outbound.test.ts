import { AuthExpiredError, ConversationGoneError, PermanentError, RetryableError } from '../../../src/errors.js';
import { MemoryMappingStore } from '../../../src/store/memory-store.js';
import type { RightNowConnector } from '../../../adapters/rightnow/index.js';
import { type RightNowSimulator, startRightNowSimulator } from '../../../adapters/rightnow/simulator/index.js';
import { acceptedEngagement, deliveryContext, event, makeConnector, makeRuntime, rightnowConfig, type TestRuntime, waitFor } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

describe('rightnow outbound', () => {
  let sim: RightNowSimulator;
  let store: MemoryMappingStore;
  let runtime: TestRuntime;
  let conn: RightNowConnector;
  let engagementId: string;

  beforeEach(async () => {
    sim = await startRightNowSimulator({ pollHoldMs: 200 });
    store = new MemoryMappingStore();
    runtime = makeRuntime(store);
    conn = makeConnector(rightnowConfig(sim, { agentJoinedText: 'An agent has joined.' }), runtime);
    engagementId = await acceptedEngagement(sim, conn, runtime);
  });

  afterEach(async () => {
    await conn.stop();
    await sim.close();
  });

  const ctx = () => deliveryContext(store, engagementId);
  const sequenceNumbers = () => sim.requests.map((r) => (r.body as { sequenceNumber?: number } | undefined)?.sequenceNumber).filter((n) => n !== undefined);

  it('when a message is sent, then postMessage carries exactly the documented fields and headers', async () => {
    const message = event({ kind: 'message', text: 'How can I help?', richText: true });
    const result = await sendEvent(conn.outbound, message, ctx());
    const request = sim.requests.filter((r) => r.operation === 'postMessage').at(-1)!;
    const body = request.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ['body', 'destinationId', 'destinationType', 'messageDataMap', 'messageId', 'messageType', 'richText', 'sequenceNumber', 'timeCreated', 'visibility'],
    );
    expect(body).toMatchObject({
      body: 'How can I help?',
      destinationId: Number(engagementId),
      destinationType: 'ENGAGEMENT',
      messageType: 'TEXT',
      messageId: message.id,
      richText: true,
      visibility: 'ALL',
      messageDataMap: { chatbridgeEventId: message.id },
    });
    expect(typeof body.timeCreated).toBe('number');
    expect(request.headers['x-aid']).toBe('12');
    expect(request.headers['x-jsessionid']).toBe(sim.sessionIds()[0]);
    expect(request.query.pool).toBe('297:1');
    expect(result).toEqual({ status: 'sent', nativeMessageIds: [message.id] });
    expect(sim.postsFor(engagementId).map((p) => p.body)).toEqual(['How can I help?']);
  });

  it('when many messages are sent at once, then every sequence number is accepted and strictly increasing', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => sendEvent(conn.outbound, event({ kind: 'message', text: `m${i}` }), ctx())));
    const seqs = sim.postsFor(engagementId).map((p) => p.sequenceNumber);
    expect(seqs).toHaveLength(25);
    expect(seqs.every((n, i) => i === 0 || n > seqs[i - 1]!)).toBe(true);
    const all = sequenceNumbers();
    expect(new Set(all).size).toBe(all.length);
  });

  it('when the session expires mid-conversation, then send asks for a refresh and the sequence continues on the new session', async () => {
    await sendEvent(conn.outbound, event({ kind: 'message', text: 'before' }), ctx());
    const before = sim.postsFor(engagementId).at(-1)!.sequenceNumber;
    sim.expireSession();
    const err = await sendEvent(conn.outbound, event({ kind: 'message', text: 'lost?' }), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthExpiredError);
    await conn.refreshAuth();
    await sendEvent(conn.outbound, event({ kind: 'message', text: 'after' }), ctx());
    const posts = sim.postsFor(engagementId);
    expect(posts.map((p) => p.body)).toEqual(['before', 'after']);
    expect(posts[1]!.sessionId).not.toBe(posts[0]!.sessionId);
    expect(posts[1]!.sequenceNumber).toBeGreaterThan(before);
  });

  it('when a new connector instance takes over the same store, then it continues the session and the sequence', async () => {
    await sendEvent(conn.outbound, event({ kind: 'message', text: 'one' }), ctx());
    const second = makeConnector(rightnowConfig(sim), makeRuntime(store));
    await sendEvent(second.outbound, event({ kind: 'message', text: 'two' }), ctx());
    const posts = sim.postsFor(engagementId);
    expect(posts.map((p) => p.body)).toEqual(['one', 'two']);
    expect(posts[1]!.sessionId).toBe(posts[0]!.sessionId);
    expect(posts[1]!.sequenceNumber).toBeGreaterThan(posts[0]!.sequenceNumber);
    expect(sim.count('createAutomatedAgentSession')).toBe(1);
  });

  it('when the instance restarts (logoff, new connector), then the new session continues the counter above every used number', async () => {
    await sendEvent(conn.outbound, event({ kind: 'message', text: 'one' }), ctx());
    const used = Math.max(...sequenceNumbers());
    await conn.stop();
    conn = makeConnector(rightnowConfig(sim), makeRuntime(store));
    await sendEvent(conn.outbound, event({ kind: 'message', text: 'two' }), ctx());
    const posts = sim.postsFor(engagementId);
    expect(posts.map((p) => p.body)).toEqual(['one', 'two']);
    expect(posts[1]!.sessionId).not.toBe(posts[0]!.sessionId);
    expect(posts[1]!.sequenceNumber).toBeGreaterThan(used);
  });

  it('when two instances send at once over one store, then the server accepts every post (overtaken numbers are retaken)', async () => {
    const other = makeConnector(rightnowConfig(sim), makeRuntime(store));
    const sends = Array.from({ length: 20 }, (_, i) =>
      sendEvent((i % 2 ? other : conn).outbound, event({ kind: 'message', text: `m${i}` }), ctx()),
    );
    const results = await Promise.all(sends);
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(sim.postsFor(engagementId)).toHaveLength(20);
  });

  it.each([
    ['ACCESS_DENIED', AuthExpiredError],
    ['CONFLICT', ConversationGoneError],
    ['INVALID_FIELD', PermanentError],
    ['UNKNOWN_EXCEPTION', RetryableError],
    ['UNDEFINED_CONDITION', RetryableError],
  ] as const)('when postMessage answers 200 with chatSystemError %s, then send throws %p', async (code, type) => {
    sim.failNext('postMessage', code);
    const err = await sendEvent(conn.outbound, event({ kind: 'message', text: 'x' }), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as PermanentError).vendorCode).toBe(code);
  });

  it.each([
    [403, AuthExpiredError],
    [400, PermanentError],
    [404, PermanentError],
    [500, RetryableError],
  ] as const)('when postMessage answers HTTP %i, then send throws %p', async (status, type) => {
    sim.failNext('postMessage', status);
    const err = await sendEvent(conn.outbound, event({ kind: 'message', text: 'x' }), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
  });

  it('when the end user has left, then a message is ConversationGone and never retried', async () => {
    sim.customerLeaves(engagementId);
    const err = await sendEvent(conn.outbound, event({ kind: 'message', text: 'hello?' }), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConversationGoneError);
    expect((err as ConversationGoneError).retryable).toBe(false);
  });

  it('when the agent types and stops, then setInteractionStatus goes RESPONDING then LISTENING with our client id', async () => {
    await sendEvent(conn.outbound, event({ kind: 'typing', state: 'start' }), ctx());
    await sendEvent(conn.outbound, event({ kind: 'typing', state: 'stop' }), ctx());
    expect(sim.interactions).toEqual([
      { engagementId: Number(engagementId), mode: 'RESPONDING' },
      { engagementId: Number(engagementId), mode: 'LISTENING' },
    ]);
  });

  it('when the agent side ends the conversation, then the engagement is concluded and our echo is not ingested', async () => {
    const result = await sendEvent(conn.outbound, event({ kind: 'conversation.ended', endedBy: 'agent' }), ctx());
    expect(result).toEqual({ status: 'sent' });
    expect(sim.concluded).toEqual([Number(engagementId)]);
    await waitFor(() => runtime.drops.some((d) => d.reason === 'echo'), 'the conclusion echo');
    expect(runtime.events.some((e) => e.kind === 'conversation.ended')).toBe(false);
  });

  it('when an agent joins, then the configured text is posted; other kinds are dropped with a reason', async () => {
    const joined = await sendEvent(conn.outbound, event({ kind: 'participant.joined', participant: { id: 'a1', role: 'agent' } }), ctx());
    expect(joined.status).toBe('sent');
    expect(sim.postsFor(engagementId).map((p) => p.body)).toEqual(['An agent has joined.']);
    const receipt = await sendEvent(conn.outbound, event({ kind: 'receipt', status: 'read', messageIds: ['x'] }), ctx());
    expect(receipt).toEqual({ status: 'dropped', reason: 'unsupported-kind' });
  });

  it('when a message has attachments, then each is a line under the text, marked when it cannot be downloaded', async () => {
    const withUrl = event({ kind: 'message', text: 'see', attachments: [{ name: 'a.pdf', contentType: 'application/pdf', size: 3, url: 'https://files.test/a.pdf' }] });
    await sendEvent(conn.outbound, withUrl, ctx());
    expect(sim.postsFor(engagementId).at(-1)!.body).toBe('see\na.pdf: https://files.test/a.pdf');
    const captioned = event({ kind: 'message', text: 'my scan', attachments: [{ name: 'b.png', contentType: 'image/png', size: 3 }] });
    await sendEvent(conn.outbound, captioned, ctx());
    expect(sim.postsFor(engagementId).at(-1)!.body).toBe('my scan\nb.png: (not downloadable)');
    const empty = event({ kind: 'message', text: '' });
    expect(await sendEvent(conn.outbound, empty, ctx())).toEqual({ status: 'dropped', reason: 'empty-message' });
  });

  it('when the canonical event id is too long for messageId, then a stable digest is sent', async () => {
    const message = event({ kind: 'message', text: 'long id' });
    const long = { ...message, id: `egain:${'x'.repeat(100)}` };
    const first = await sendEvent(conn.outbound, long, ctx());
    expect(first.status === 'sent' && first.nativeMessageIds).toEqual([expect.stringMatching(/^cb-[0-9a-f]{40}$/)]);
    sim.failNext('postMessage', 500);
    await sendEvent(conn.outbound, long, ctx()).catch(() => undefined);
    const ids = sim.requests.filter((r) => r.operation === 'postMessage').slice(-2).map((r) => (r.body as { messageId: string }).messageId);
    expect(ids[0]).toBe(ids[1]);
  });
});
