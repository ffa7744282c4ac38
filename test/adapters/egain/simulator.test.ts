import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { INTERACTION_SCOPE, MANAGE_SCOPE, startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { CHANNEL, CHANNEL_TYPE } from './harness.js';

describe('eGain simulator independence', () => {
  it('when any simulator file imports, then only from the simulator itself or a package, never from the adapter or the core', () => {
    const dir = fileURLToPath(new URL('../../../adapters/egain/simulator/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    const outside = files.flatMap((file) =>
      [...readFileSync(`${dir}${file}`, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1]!)
        .filter((spec) => spec.startsWith('/') || (spec.startsWith('.') && !spec.startsWith('./')))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});

/** The simulator must refuse what eGain refuses, with eGain's error body, and record nothing for it. */
describe('eGain simulator strictness', () => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator({
      channels: [CHANNEL, { type: 'rich_chan', displayName: 'Rich', icon: 'aWNvbg==', restrictions: { outbound: { richMessageTypes: ['quickreply'] } } }],
      clients: [
        { clientId: 'agent', clientSecret: 'agent-secret', type: 'custom_agent', scopes: [INTERACTION_SCOPE, MANAGE_SCOPE] },
        { clientId: 'cust', clientSecret: 'cust-secret', type: 'customer', scopes: [INTERACTION_SCOPE] },
        { clientId: 'admin', clientSecret: 'admin-secret', type: 'custom_agent', scopes: [MANAGE_SCOPE] },
      ],
    });
  });
  afterEach(() => sim.close());

  const token = async (clientId: string, scope = INTERACTION_SCOPE) => {
    const res = await fetch(sim.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, client_id: clientId, client_secret: `${clientId}-secret` }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const call = async (method: string, path: string, bearer: string | undefined, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { 'Content-Type': contentType, ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as { code?: string; id?: string; contentUrl?: string }) : {} };
  };
  const send = (conversationId: string, type: string, senderType: string, text?: string) => ({
    metadata: {},
    messages: { message: [{ type: { value: type }, ...(text !== undefined ? { content: { text } } : {}), sender: { type: senderType }, conversation: { id: conversationId } }] },
  });

  it('when the bearer token is missing or expired, then 401 401-104', async () => {
    const conv = sim.openConversation(CHANNEL_TYPE);
    expect(await call('POST', '/conversations/messages', undefined, send(conv, 'text', 'custom_agent', 'x'))).toMatchObject({ status: 401, body: { code: '401-104' } });
    const t = await token('agent');
    sim.expireTokens();
    expect((await call('POST', '/conversations/messages', t, send(conv, 'text', 'custom_agent', 'x'))).status).toBe(401);
  });

  it('when the token lacks the interaction scope, then 403', async () => {
    const t = await token('admin', MANAGE_SCOPE);
    expect((await call('POST', '/conversations/messages', t, send(sim.openConversation(CHANNEL_TYPE), 'text', 'custom_agent', 'x'))).status).toBe(403);
  });

  it('when a customer app sends agent.join, or claims another app type, then it is refused', async () => {
    const t = await token('cust');
    const conv = sim.openConversation(CHANNEL_TYPE);
    expect(await call('POST', '/conversations/messages', t, send(conv, 'agent.join', 'customer'))).toMatchObject({ status: 400, body: { code: '400-101' } });
    expect((await call('POST', '/conversations/messages', t, send(conv, 'text', 'custom_agent', 'x'))).status).toBe(403);
    expect(sim.messages).toHaveLength(0);
  });

  it('when text exceeds the channel maxTextLength for its direction, then 400; at the limit it is accepted with 202', async () => {
    const t = await token('agent');
    const conv = sim.openConversation(CHANNEL_TYPE);
    expect((await call('POST', '/conversations/messages', t, send(conv, 'text', 'custom_agent', 'x'.repeat(41)))).status).toBe(400);
    expect((await call('POST', '/conversations/messages', t, send(conv, 'text', 'custom_agent', 'x'.repeat(40)))).status).toBe(202);
    expect(sim.messages).toHaveLength(1);
  });

  it('when a text would cut an emoji in half (a lone surrogate), then 400; the whole emoji is accepted', async () => {
    const t = await token('agent');
    const conv = sim.openConversation(CHANNEL_TYPE);
    expect((await call('POST', '/conversations/messages', t, send(conv, 'text', 'custom_agent', 'ok \ud83d'))).status).toBe(400);
    expect((await call('POST', '/conversations/messages', t, send(conv, 'text', 'custom_agent', 'ok \ud83d\ude00'))).status).toBe(202);
  });

  it('when a rich message type is not among the channel richMessageTypes, then 400; a listed one passes', async () => {
    const t = await token('agent');
    const conv = sim.openConversation('rich_chan');
    expect((await call('POST', '/conversations/messages', t, send(conv, 'richMessage.payment', 'custom_agent', 'pay'))).status).toBe(400);
    // A quick reply without its options is no quick reply; with them (content.richMessage) it passes.
    const quick = send(conv, 'richMessage.quickreply', 'custom_agent', 'pick');
    expect((await call('POST', '/conversations/messages', t, quick)).status).toBe(400);
    quick.messages.message[0]!.content = { text: 'pick', richMessage: { title: 'pick', options: { option: [{ title: 'A' }] } } } as never;
    expect((await call('POST', '/conversations/messages', t, quick)).status).toBe(202);
  });

  it('when the body is malformed JSON or misses messages, then 400 400-101', async () => {
    const t = await token('agent');
    expect(await call('POST', '/conversations/messages', t, '{"metadata":')).toMatchObject({ status: 400, body: { code: '400-101' } });
    expect((await call('POST', '/conversations/messages', t, { metadata: {} })).status).toBe(400);
  });

  it('when an asset has a blocked extension, then POST /assets is 400', async () => {
    const t = await token('cust');
    const body = { channel: { type: CHANNEL_TYPE }, sender: { type: 'customer' }, name: 'run.bat', size: 10 };
    expect((await call('POST', '/assets', t, body)).status).toBe(400);
  });

  it('when the upload comes after contentUrlExpiry, then storage refuses it; before expiry it is stored', async () => {
    const t = await token('cust');
    const create = () => call('POST', '/assets', t, { channel: { type: CHANNEL_TYPE }, sender: { type: 'customer' }, name: 'a.txt', size: 3 });
    const late = await create();
    sim.advanceClock(61_000);
    expect((await call('POST', new URL(late.body.contentUrl!).pathname + new URL(late.body.contentUrl!).search, undefined, Buffer.from('abc'), 'text/plain')).status).toBe(403);
    const fresh = await create();
    const path = new URL(fresh.body.contentUrl!).pathname + new URL(fresh.body.contentUrl!).search;
    expect((await call('POST', path, undefined, Buffer.from('abcd'), 'text/plain')).status).toBe(400);
    expect((await call('POST', path, undefined, Buffer.from('abc'), 'text/plain')).status).toBe(201);
    expect(sim.assets.filter((a) => a.bytes).map((a) => a.id)).toEqual([fresh.body.id]);
  });

  it('when a channel body lacks the required icon, then POST /channels is 400', async () => {
    const t = await token('admin', MANAGE_SCOPE);
    expect((await call('POST', '/channels', t, { type: 'custom_x', displayName: 'X' })).status).toBe(400);
  });

  it('when the token request has a bad secret or an ungranted scope, then it is refused', async () => {
    const bad = await fetch(sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: INTERACTION_SCOPE, client_id: 'cust', client_secret: 'x' }),
    });
    const scope = await fetch(sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: MANAGE_SCOPE, client_id: 'cust', client_secret: 'cust-secret' }),
    });
    expect([bad.status, scope.status]).toEqual([401, 400]);
  });
});
