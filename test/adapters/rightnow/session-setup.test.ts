import nock from 'nock';
import { MemoryMappingStore } from '../../../src/store/memory-store.js';
import { RightNowConfigSchema } from '../../../adapters/rightnow/config.js';
import { type RightNowConnector, rightnowPlatform } from '../../../adapters/rightnow/index.js';
import { agentEvent, deliveryContext, recordingRuntime, TENANT } from './helpers.js';

const SITE = 'https://acme.custhelp.com';
const CHAT = 'https://chat.example.com';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.sig';

describe('rightnow session set-up (request shapes)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  function create(store = new MemoryMappingStore()): RightNowConnector {
    const config = RightNowConfigSchema.parse({ siteUrl: SITE, username: 'api', password: 'secret', agentAccountId: '12', applicationContext: 'bridge-test' });
    return rightnowPlatform.create({ tenantId: TENANT, config, runtime: recordingRuntime(store) }) as RightNowConnector;
  }

  it('when the first send needs a session, then settings, token, session and post go out exactly as documented', async () => {
    const basic = `Basic ${Buffer.from('api:secret').toString('base64')}`;
    const seen: Record<string, unknown> = {};
    nock(SITE, { reqheaders: { authorization: basic, 'osvc-crest-application-context': 'bridge-test' } })
      .get('/services/rest/crossChannelServices/latest/serviceSettings/1')
      .reply(200, { domain: 'chat.example.com', pool: '297:1', port: 8084, siteName: 'acme_site', links: [] })
      .post('/services/rest/crossChannelServices/latest/agentTokens', (body) => {
        seen.tokenBody = body;
        return true;
      })
      .reply(200, { sessionToken: JWT });
    nock(CHAT, { reqheaders: { authorization: `Bearer ${JWT}` } })
      .post('/engagement/api/agent/acme_site/v1/createAutomatedAgentSession', (body) => {
        seen.sessionBody = body;
        return true;
      })
      .query({ pool: '297:1' })
      .reply(200, { chatSystemError: null, sessionId: 'node01abc', clientId: 47 });
    nock(CHAT, { reqheaders: { 'x-aid': '12', 'x-jsessionid': 'node01abc', 'content-type': 'application/json; charset=utf-8' } })
      .post('/engagement/api/agent/acme_site/v1/postMessage', (body) => {
        seen.postBody = body;
        return true;
      })
      .query({ pool: '297:1' })
      .reply(200, { chatPostResult: { clientReset: '0' }, chatSystemError: null, sessionId: 'node01abc', sequenceNumber: 2 });

    const store = new MemoryMappingStore();
    const result = await create(store).send(agentEvent({ kind: 'message', text: 'hi' }), deliveryContext(store, '27'));

    expect(result.status).toBe('sent');
    expect(nock.isDone()).toBe(true);
    expect(seen.tokenBody).toEqual({});
    expect(seen.sessionBody).toEqual({ logonOverride: true, sequenceNumber: 1, timeCreated: expect.any(Number) });
    expect(seen.postBody).toMatchObject({ destinationId: 27, sequenceNumber: 2, body: 'hi' });
    const state = await store.hashGetAll(store.key('rightnow', 'session', TENANT, '12'));
    expect(state).toMatchObject({ sessionId: 'node01abc', clientId: '47', chatServer: CHAT, siteName: 'acme_site', pool: '297:1' });
  });

  it('when Connect REST refuses the API user, then the send fails as an expired credential', async () => {
    nock(SITE).get('/services/rest/crossChannelServices/latest/serviceSettings/1').reply(401, {});
    const store = new MemoryMappingStore();
    const err = await create(store).send(agentEvent({ kind: 'message', text: 'hi' }), deliveryContext(store, '27')).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AuthExpiredError');
    expect(String((err as Error).message)).not.toContain('secret');
  });

  it('when the server refuses a sequence number another instance overtook, then the post is retried once with a fresh one', async () => {
    const store = new MemoryMappingStore();
    await store.hashSet(store.key('rightnow', 'session', TENANT, '12'), { sessionId: 'node01abc', clientId: '47', chatServer: CHAT, siteName: 'acme_site', pool: '297:1' });
    await store.increment(store.key('rightnow', 'seq', TENANT, '12'), 40);
    nock(SITE).post('/services/rest/crossChannelServices/latest/agentTokens').reply(200, { sessionToken: JWT });
    const sequences: number[] = [];
    const record = (b: { sequenceNumber: number }) => sequences.push(b.sequenceNumber) > 0;
    nock(CHAT)
      .post('/engagement/api/agent/acme_site/v1/postMessage', record)
      .query(true)
      .reply(400, { exceptionCode: 'INVALID_FIELD', message: 'sequenceNumber: 41 does not increase on this session' })
      .post('/engagement/api/agent/acme_site/v1/postMessage', record)
      .query(true)
      .reply(200, { chatSystemError: null });

    const result = await create(store).send(agentEvent({ kind: 'message', text: 'hi' }), deliveryContext(store, '27'));

    expect(result.status).toBe('sent');
    expect(sequences).toEqual([41, 42]);
  });

  it('when INVALID_FIELD names another field, then the send is a permanent failure', async () => {
    const store = new MemoryMappingStore();
    await store.hashSet(store.key('rightnow', 'session', TENANT, '12'), { sessionId: 'node01abc', chatServer: CHAT, siteName: 'acme_site', pool: '297:1' });
    nock(SITE).post('/services/rest/crossChannelServices/latest/agentTokens').reply(200, { sessionToken: JWT });
    nock(CHAT).post('/engagement/api/agent/acme_site/v1/postMessage').query(true).reply(400, { exceptionCode: 'INVALID_FIELD', message: 'body: too long' });
    const err = await create(store).send(agentEvent({ kind: 'message', text: 'hi' }), deliveryContext(store, '27')).catch((e: unknown) => e);
    expect((err as Error).name).toBe('PermanentError');
    expect((err as { vendorCode: string }).vendorCode).toBe('INVALID_FIELD');
  });

  it('when the conversation has no engagement linked, then the event is dropped without any request', async () => {
    const store = new MemoryMappingStore();
    const result = await create(store).send(agentEvent({ kind: 'message', text: 'hi' }), deliveryContext(store, undefined));
    expect(result).toEqual({ status: 'dropped', reason: expect.stringContaining('no rightnow engagement') });
  });
});
