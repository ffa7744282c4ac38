import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { withAuthRefresh } from '../../../src/auth/auth-refresh.js';
import { AuthenticationError } from '../../../src/errors.js';
import type { InboundEventInput } from '../../../src/model/events.js';
import type { Connector, RawInbound } from '../../../src/ports/adapter.js';
import { BASIC, CHANNEL, CHANNEL_TYPE, deliveryContext, egainConfig, event, knownConversation, makeConnector, makeRuntime, TENANT } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

const raw = (authorization?: string, body = '{}'): RawInbound => ({
  headers: authorization ? { authorization } : {},
  rawBody: Buffer.from(body),
});
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const SECRET = 'a-shared-hs256-secret-of-32-chars!!';

/** Plays the core's webhook ingress for one connector: verify, parse, normalize; 401 on AuthenticationError. */
async function startIngress(connector: Connector) {
  const received: InboundEventInput[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const inbound = { headers: req.headers, rawBody: Buffer.concat(chunks) };
      try {
        await connector.verify!(inbound);
        received.push(...(await connector.normalize!(JSON.parse(inbound.rawBody.toString('utf8')))));
        res.writeHead(200).end('{}');
      } catch (err) {
        res.writeHead(err instanceof AuthenticationError ? 401 : 500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/t1/egain`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('eGain inbound: callback authentication', () => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator({ channels: [CHANNEL] });
  });
  afterEach(() => sim.close());

  it('when the Basic credentials match, then the callback passes; anything else is refused', async () => {
    const connector = makeConnector(egainConfig(sim));
    await expect(connector.verify!(raw(basic(BASIC.username, BASIC.password)))).resolves.toBeUndefined();
    for (const header of [undefined, basic('hub', 'wrong-password'), basic('other', BASIC.password), 'Bearer abc', 'Basic !!!']) {
      await expect(connector.verify!(raw(header))).rejects.toBeInstanceOf(AuthenticationError);
    }
  });

  it('when the Hub posts a callback as registered, then events arrive; with a wrong password it is answered 401 and nothing is ingested', async () => {
    const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    const ingress = await startIngress(connector);
    try {
      const conversationId = sim.openConversation(CHANNEL_TYPE);
      await knownConversation(runtime, conversationId);
      const payload = sim.callbackPayload(conversationId, 'text', { text: 'hello from eGain', senderType: 'egain_agent' });
      expect((await sim.postCallback(ingress.url, payload, BASIC)).status).toBe(200);
      expect((await sim.postCallback(ingress.url, payload, { ...BASIC, password: 'nope-nope' })).status).toBe(401);
      sim.setCallback(ingress.url, BASIC);
      expect((await sim.agentSays(conversationId, 'second', { participant: { id: 'a1', name: 'Bo' } })).status).toBe(200);
      expect((await sim.send(conversationId, 'typing.start', { senderType: 'egain_agent' })).status).toBe(200);
      expect(ingress.received.map((e) => e.kind)).toEqual(['message', 'message', 'typing']);
      expect(ingress.received[0]).toMatchObject({ kind: 'message', text: 'hello from eGain', sender: { role: 'agent' } });
      expect(ingress.received[1]).toMatchObject({ text: 'second', sender: { role: 'agent', id: 'a1', name: 'Bo' } });
    } finally {
      await ingress.close();
    }
  });

  describe('when the tenant registered OAuth (bearer JWT)', () => {
    const sign = (claims: { iss?: string; aud?: string; exp?: number } = {}, key: Uint8Array = new TextEncoder().encode(SECRET)) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(claims.iss ?? 'https://auth.egain.test')
        .setAudience(claims.aud ?? 'chatbridge')
        .setIssuedAt()
        .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 300)
        .sign(key);
    const jwtAuth = { type: 'jwt' as const, issuer: 'https://auth.egain.test', audience: 'chatbridge', secret: SECRET };

    it('when the token is signed with the shared secret for our issuer and audience, then it passes', async () => {
      const connector = makeConnector(egainConfig(sim, { callbackAuth: jwtAuth }));
      await expect(connector.verify!(raw(`Bearer ${await sign()}`))).resolves.toBeUndefined();
    });

    it('when the token is expired, foreign, for another audience or forged, then it is refused', async () => {
      const connector = makeConnector(egainConfig(sim, { callbackAuth: jwtAuth }));
      const bad = [
        await sign({ exp: Math.floor(Date.now() / 1000) - 60 }),
        await sign({ iss: 'https://evil.test' }),
        await sign({ aud: 'someone-else' }),
        await sign({}, new TextEncoder().encode('another-secret-another-secret-123')),
      ];
      for (const token of bad) await expect(connector.verify!(raw(`Bearer ${token}`))).rejects.toBeInstanceOf(AuthenticationError);
      await expect(connector.verify!(raw(basic('hub', 'x')))).rejects.toBeInstanceOf(AuthenticationError);
    });

    it('when keys come from the issuer JWKS, then an RS256 token signed by it passes and one by another key does not', async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const other = await generateKeyPair('RS256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      const jwks = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      try {
        const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
        const connector = makeConnector(
          egainConfig(sim, { callbackAuth: { type: 'jwt', issuer: 'https://auth.egain.test', audience: 'chatbridge', jwksUrl } }),
        );
        const rs = (key: Parameters<SignJWT["sign"]>[0]) =>
          new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://auth.egain.test').setAudience('chatbridge').setExpirationTime('5m').sign(key);
        await expect(connector.verify!(raw(`Bearer ${await rs(privateKey)}`))).resolves.toBeUndefined();
        await expect(connector.verify!(raw(`Bearer ${await rs(other.privateKey)}`))).rejects.toBeInstanceOf(AuthenticationError);
      } finally {
        jwks.closeAllConnections();
        await new Promise<void>((resolve) => jwks.close(() => resolve()));
      }
    });
  });
});

describe('eGain inbound: normalize', () => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator({ channels: [CHANNEL] });
  });
  afterEach(() => sim.close());

  const normalize = async (type: string, o: Parameters<EgainSimulator['callbackPayload']>[2] = {}) => {
    const runtime = makeRuntime();
    await knownConversation(runtime, 'conv-1');
    const connector = makeConnector(egainConfig(sim), runtime);
    const payload = sim.callbackPayload('conv-1', type, { id: 'msg-1', ...o });
    const events = await connector.normalize!(payload);
    return { events, runtime };
  };

  it('when a text arrives, then it is a message with a stable id from the conversation and message ids', async () => {
    const { events } = await normalize('text', { text: 'hi', senderType: 'custom_agent', participant: { id: 'a7', name: 'Ann' } });
    expect(events).toEqual([
      expect.objectContaining({
        id: 'egain:conv-1:msg-1',
        kind: 'message',
        text: 'hi',
        origin: { platform: 'egain', conversationId: 'conv-1', messageId: 'msg-1' },
        sender: { role: 'agent', id: 'a7', name: 'Ann' },
      }),
    ]);
  });

  it.each([
    ['typing.start', 'customer', { kind: 'typing', state: 'start', sender: expect.objectContaining({ role: 'customer' }) }],
    ['typing.end', 'egain_bot', { kind: 'typing', state: 'stop', sender: expect.objectContaining({ role: 'bot' }) }],
    ['conversation.end', 'customer', { kind: 'conversation.ended', endedBy: 'customer' }],
    ['agent.join', 'egain_agent', { kind: 'participant.joined', transfer: false, participant: { id: 'a1', name: 'Bo', role: 'agent' } }],
    ['agent.transfer', 'egain_agent', { kind: 'participant.joined', transfer: true, participant: { id: 'a1', name: 'Bo', role: 'agent' } }],
    ['queue.transfer', 'egain_agent', { kind: 'participant.left', reason: 'transferred to a queue' }],
    ['richMessage.quickreply', 'custom_bot', { kind: 'message', text: 'pick one' }],
  ] as const)('when a %s callback arrives from a %s app, then it becomes the matching canonical event', async (type, senderType, expected) => {
    const { events } = await normalize(type, { senderType, participant: { id: 'a1', name: 'Bo' }, text: type.startsWith('rich') ? 'pick one' : undefined });
    expect(events).toEqual([expect.objectContaining(expected)]);
  });

  it('when customer.info arrives, then the profile is read from the conversation customer', async () => {
    const customer = { firstName: 'Ann', language: 'fr-FR', contacts: { contact: [{ type: 'email', address: 'ann@example.com' }] } };
    const { events } = await normalize('customer.info', { senderType: 'customer', customer });
    expect(events[0]).toMatchObject({ kind: 'customer.info', customer: { firstName: 'Ann', language: 'fr-FR', email: 'ann@example.com' } });
  });

  it.each(['customer.active', 'customer.inactive', 'agent.available', 'conversation.state', 'delete.soft', 'undo', 'error', 'pagePush'])(
    'when a %s callback arrives, then it is dropped through the runtime, never an error',
    async (type) => {
      const { events, runtime } = await normalize(type, { senderType: 'customer' });
      expect(events).toEqual([]);
      expect(runtime.drops).toEqual([{ kind: 'vendor', reason: 'not-carried', type }]);
      expect(runtime.unrecognizedSeen).toEqual([]);
    },
  );

  it('when a type eGain does not document arrives, then it is reported as unrecognised, never an error', async () => {
    const { events, runtime } = await normalize('holo.gram', { senderType: 'customer' });
    expect(events).toEqual([]);
    expect(runtime.drops).toEqual([]);
    expect(runtime.unrecognizedSeen).toEqual([expect.objectContaining({ what: 'type', detail: 'message type holo.gram' })]);
  });

  it('when a text carries an attachment, then normalize names the asset without calling the Asset API (the Hub waits 5 s)', async () => {
    const id = sim.addAsset({ name: 'invoice.txt', contentType: 'text/plain', bytes: Buffer.from('due: 10 EUR') });
    const before = sim.requests.length;
    const { events } = await normalize('text', { text: 'here', attachmentIds: [id] });
    const [attachment] = (events[0] as { attachments: Record<string, unknown>[] }).attachments;
    expect(attachment).toEqual({ name: id, contentType: 'application/octet-stream', size: 0, nativeId: id });
    expect(sim.requests.slice(before)).toEqual([]);
  });

  it('when the connector resolves a file, then each call gives a fresh signed URL that works after the previous one expired', async () => {
    const id = sim.addAsset({ name: 'invoice.txt', contentType: 'text/plain', bytes: Buffer.from('due: 10 EUR') });
    const connector = makeConnector(egainConfig(sim));
    const first = await connector.resolveFile!(id);
    expect(first).toMatchObject({ name: 'invoice.txt', contentType: 'text/plain', size: 11, expiresAt: expect.any(String) });
    expect(await (await fetch(first.url)).text()).toBe('due: 10 EUR');
    sim.advanceClock(Date.parse(first.expiresAt!) - Date.now() + 1000);
    expect((await fetch(first.url)).status).toBe(403);
    // The token aged with the Hub's clock too: the core asks with its one refresh (src/files/fresh-files.ts).
    const second = await withAuthRefresh(connector, () => connector.resolveFile!(id));
    expect(second.url).not.toBe(first.url);
    expect(await (await fetch(second.url)).text()).toBe('due: 10 EUR');
  });

  it('when one callback repeats a message id, then the repeat goes to the core as the same event, for its dedupe to drop and count', async () => {
    const runtime = makeRuntime();
    await knownConversation(runtime, 'conv-1');
    const connector = makeConnector(egainConfig(sim), runtime);
    const one = sim.callbackPayload('conv-1', 'text', { id: 'dup', text: 'a' }).messages.message[0];
    const events = await connector.normalize!({ messages: { message: [one, one] } });
    expect(events.map((e) => e.id)).toEqual(['egain:conv-1:dup', 'egain:conv-1:dup']);
    expect(events[1]).toBe(events[0]);
    expect(runtime.drops).toEqual([]);
  });
});

describe('eGain inbound: echoes of what the bridge sent', () => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator({ channels: [CHANNEL] });
  });
  afterEach(() => sim.close());

  it('when the Hub delivers back every part of a split text the bridge sent, then none becomes an event', async () => {
    const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    const conversationId = sim.openConversation(CHANNEL_TYPE);
    const ctx = await deliveryContext(runtime, 'customer', conversationId);
    const sent = event({ kind: 'message', text: 'a'.repeat(90) }, 'agent');
    const result = await sendEvent(connector.outbound, sent, ctx);
    // What the core does with the ids send returns: every part is linked.
    if (result.status === 'sent') for (const id of result.nativeMessageIds ?? []) await runtime.store.linkMessage(TENANT, sent.id, 'egain', id);
    expect(sim.messages).toHaveLength(3);
    for (const m of sim.messages) {
      const payload = sim.callbackPayload(conversationId, 'text', { id: m.message.id, text: m.message.content?.text, senderType: 'custom_agent' });
      expect(await connector.normalize!(payload)).toEqual([]);
    }
    expect(runtime.drops.map((d) => d.reason)).toEqual(Array(3).fill('echo'));
  });
});
