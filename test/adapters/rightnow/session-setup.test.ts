import { MemoryMappingStore } from '../../../src/store/memory-store.js';
import { ConnectRestClient } from '../../../adapters/rightnow/api.js';
import { RightNowConfigSchema } from '../../../adapters/rightnow/config.js';
import { type RightNowConnector, rightnowAdapter } from '../../../adapters/rightnow/index.js';
import { deliveryContext, event, makeRuntime, TENANT } from './harness.js';
import { startStub } from './stub-server.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.sig';
const SETTINGS = '/services/rest/crossChannelServices/latest/serviceSettings/1';
const TOKENS = '/services/rest/crossChannelServices/latest/agentTokens';
const agentPath = (op: string) => `/engagement/api/agent/acme_site/v1/${op}`;

describe('rightnow session set-up (request shapes)', () => {
  let stub: Awaited<ReturnType<typeof startStub>>;
  let store: MemoryMappingStore;
  beforeEach(async () => {
    stub = await startStub();
    store = new MemoryMappingStore();
  });
  afterEach(() => stub.close());

  function create(): RightNowConnector {
    const config = RightNowConfigSchema.parse({ siteUrl: stub.url, username: 'api', password: 'secret', agentAccountId: '12', applicationContext: 'bridge-test' });
    return rightnowAdapter.create({ config, runtime: makeRuntime(store) }) as RightNowConnector;
  }
  const seedSession = async () => {
    await store.hashSet(store.key('rightnow', TENANT, 'session', '12'), { sessionId: 'node01abc', clientId: '47', chatServer: stub.url, siteName: 'acme_site', pool: '297:1' });
    stub.reply('POST', TOKENS, 200, { sessionToken: JWT });
  };
  const send = () => sendEvent(create().outbound, event({ kind: 'message', text: 'hi' }), deliveryContext(store, '27'));

  it('when the first send needs a session, then settings, token, session and post go out exactly as documented', async () => {
    stub.reply('GET', SETTINGS, 200, { domain: stub.url, pool: '297:1', port: 8084, siteName: 'acme_site', links: [] });
    stub.reply('POST', TOKENS, 200, { sessionToken: JWT });
    stub.reply('POST', agentPath('createAutomatedAgentSession'), 200, { chatSystemError: null, sessionId: 'node01abc', clientId: 47 });
    stub.reply('POST', agentPath('postMessage'), 200, { chatPostResult: { clientReset: '0' }, chatSystemError: null, sessionId: 'node01abc' });

    expect((await send()).status).toBe('sent');

    expect(stub.pending()).toBe(0);
    const [settings, token, session, post] = stub.requests;
    const basic = `Basic ${Buffer.from('api:secret').toString('base64')}`;
    expect(settings).toMatchObject({ method: 'GET', path: SETTINGS, headers: { authorization: basic, 'osvc-crest-application-context': 'bridge-test' } });
    expect(token).toMatchObject({ method: 'POST', path: TOKENS, body: {}, headers: { authorization: basic, 'osvc-crest-application-context': 'bridge-test' } });
    expect(session).toMatchObject({ path: agentPath('createAutomatedAgentSession'), query: { pool: '297:1' }, headers: { authorization: `Bearer ${JWT}` } });
    expect(session!.body).toEqual({ logonOverride: true, sequenceNumber: 1, timeCreated: expect.any(Number) });
    expect(post).toMatchObject({
      path: agentPath('postMessage'),
      query: { pool: '297:1' },
      headers: { 'x-aid': '12', 'x-jsessionid': 'node01abc', 'content-type': 'application/json; charset=utf-8' },
      body: { destinationId: 27, sequenceNumber: 2, body: 'hi' },
    });
    const state = await store.hashGetAll(store.key('rightnow', TENANT, 'session', '12'));
    // The epoch is the sequence number the session was created with: no other session can have it.
    expect(state).toEqual({ sessionId: 'node01abc', clientId: '47', chatServer: stub.url, siteName: 'acme_site', pool: '297:1', epoch: '1' });
  });

  it('when Connect REST refuses the API user, then the send fails as an expired credential without the password in it', async () => {
    stub.reply('GET', SETTINGS, 401, {});
    const err = await send().catch((e: unknown) => e);
    expect((err as Error).name).toBe('AuthExpiredError');
    expect(String((err as Error).message)).not.toContain('secret');
  });

  it('when the server refuses a sequence number another instance overtook, then the post is retried once with a fresh one', async () => {
    await seedSession();
    await store.increment(store.key('rightnow', 'seq', TENANT, '12'), 40);
    stub.reply('POST', agentPath('postMessage'), 400, { exceptionCode: 'INVALID_FIELD', message: 'sequenceNumber: 41 does not increase on this session' });
    stub.reply('POST', agentPath('postMessage'), 200, { chatSystemError: null });

    expect((await send()).status).toBe('sent');
    const sequences = stub.requests.filter((r) => r.path === agentPath('postMessage')).map((r) => (r.body as { sequenceNumber: number }).sequenceNumber);
    expect(sequences).toEqual([41, 42]);
  });

  it('when INVALID_FIELD names another field, then the send is a permanent failure', async () => {
    await seedSession();
    stub.reply('POST', agentPath('postMessage'), 400, { exceptionCode: 'INVALID_FIELD', message: 'body: too long' });
    const err = await send().catch((e: unknown) => e);
    expect((err as Error).name).toBe('PermanentError');
    expect((err as { vendorCode: string }).vendorCode).toBe('INVALID_FIELD');
  });

  it('when the conversation has no engagement linked, then the event is dropped without any request', async () => {
    const result = await sendEvent(create().outbound, event({ kind: 'message', text: 'hi' }), deliveryContext(store, undefined));
    expect(result).toEqual({ status: 'dropped', reason: 'no-native-conversation', detail: expect.stringContaining('no rightnow engagement') });
    expect(stub.requests).toEqual([]);
  });

  it('when the service settings give a bare host, then the chat server is https on that host', () => {
    const client = new ConnectRestClient(RightNowConfigSchema.parse({ siteUrl: 'https://acme.custhelp.com', username: 'u', password: 'p', agentAccountId: 1 }));
    expect(client.chatServerOf({ domain: 'chat.example.com', pool: '1:1', siteName: 's' })).toBe('https://chat.example.com');
    expect(client.chatServerOf({ domain: 'http://127.0.0.1:9/', pool: '1:1', siteName: 's' })).toBe('http://127.0.0.1:9');
  });
});
