import { decodeJwt } from 'jose';
import { type LivePersonSimulator, startLivePersonSimulator } from '../../../adapters/liveperson/simulator/index.js';

/** The simulator refuses what LivePerson documents it refuses, with LivePerson's error shape. */
describe('LivePerson simulator strictness', () => {
  let sim: LivePersonSimulator;
  let appJwt: string;
  let consumerJws: string;
  let told: { conversationId: string; message: unknown }[];
  const acc = '12345678';
  const msg = (path = '') => `${sim.url}/api/account/${acc}/messaging/consumer/conversation${path}?v=3`;

  async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
    const res = await fetch(url, {
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
  }
  const auth = () => ({ authorization: appJwt, 'x-lp-on-behalf': consumerJws });
  const profile = { kind: 'req', id: '1,', type: 'userprofile.SetUserProfile', body: {} };
  const request = { kind: 'req', id: '2,', type: 'cm.ConsumerRequestConversation', body: { channelType: 'MESSAGING', brandId: acc, skillId: '-1' } };
  const publish = (dialogId: string, ev: unknown) => ({ kind: 'req', id: '3', type: 'ms.PublishEvent', body: { dialogId, event: ev } });

  beforeEach(async () => {
    told = [];
    sim = await startLivePersonSimulator({
      accountId: acc,
      clientId: 'cid',
      clientSecret: 'sec',
      onConsumerEvent: (conversationId, e) => told.push({ conversationId, message: e.event.message }),
    });
    const token = await fetch(`${sim.url}/sentinel/api/account/${acc}/app/token?v=1.0&grant_type=client_credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=cid&client_secret=sec',
    });
    appJwt = ((await token.json()) as { access_token: string }).access_token;
    const consumer = await call(`${sim.url}/api/account/${acc}/consumer?v=1.0`, { headers: { authorization: appJwt }, body: { ext_consumer_id: 'john' } });
    consumerJws = consumer.body.token as string;
  });
  afterEach(async () => sim.close());

  it('when the Domain API is asked for a service, then it answers its own host, and refuses a miscased name', async () => {
    const ok = await call(`${sim.url}/api/account/${acc}/service/asyncMessagingEnt/baseURI.json?version=1.0`, { method: 'GET' });
    expect(ok.body).toEqual({ service: 'asyncMessagingEnt', account: acc, baseURI: sim.host });
    const bad = await call(`${sim.url}/api/account/${acc}/service/AsyncMessagingEnt/baseURI.json?version=1.0`, { method: 'GET' });
    expect(bad.status).toBe(400);
  });

  it('when tokens are issued, then the AppJWT has exp and aud, and the ConsumerJWS has lp_consumer_id and no exp', () => {
    const claims = decodeJwt(appJwt);
    expect(claims).toMatchObject({ iss: 'Sentinel', aud: `le${acc}`, azp: 'cid', scope: 'msg.consumer' });
    expect(claims.exp! - claims.iat!).toBe(3600);
    const consumer = decodeJwt(consumerJws);
    expect(consumer).toEqual({ account_id: acc, ext_consumer_id: 'john', lp_consumer_id: sim.lpConsumerId('john') });
  });

  it('when sentinel gets a wrong secret, then 401', async () => {
    const res = await fetch(`${sim.url}/sentinel/api/account/${acc}/app/token?v=1.0&grant_type=client_credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=cid&client_secret=nope',
    });
    expect(res.status).toBe(401);
    await res.text();
  });

  it.each([
    ['no Authorization', { 'x-lp-on-behalf': 'x' }, 40105],
    ['a Bearer-prefixed AppJWT', { authorization: 'Bearer X', 'x-lp-on-behalf': 'x' }, 40102],
  ])('when CONVERSATION comes with %s, then 401 with the documented errorCode', async (_l, headers, code) => {
    const res = await call(msg(), { headers: headers as Record<string, string>, body: [profile, request] });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ kind: 'resp', code: 401, body: { errorCode: code }, type: '.ReqBody$ErrorResp' });
  });

  it('when X-LP-ON-BEHALF is missing or forged, then 40104 / 40103', async () => {
    expect((await call(msg(), { headers: { authorization: appJwt }, body: [profile, request] })).body.body.errorCode).toBe(40104);
    expect((await call(msg(), { headers: { authorization: appJwt, 'x-lp-on-behalf': 'e30.e30.x' }, body: [profile, request] })).body.body.errorCode).toBe(40103);
  });

  it.each([
    ['not an array', { ...request }],
    ['SetUserProfile second', [request, profile]],
    ['no SetUserProfile', [request]],
    ['channelType WEB', [profile, { ...request, body: { ...request.body, channelType: 'WEB' } }]],
    ['another brandId', [profile, { ...request, body: { ...request.body, brandId: '1' } }]],
    ['an unknown SDE', [{ ...profile, body: { authenticatedData: { lp_sdes: [{ type: 'purchase', purchase: {} }] } } }, request]],
  ])('when CONVERSATION has %s, then 400 and nothing is created', async (_l, body) => {
    const res = await call(msg(), { headers: auth(), body });
    expect(res.status).toBe(400);
    expect(sim.conversations.size).toBe(0);
  });

  it('when the consumer already has an open conversation, then a second CONVERSATION is refused', async () => {
    expect((await call(msg(), { headers: auth(), body: [profile, request] })).status).toBe(200);
    expect((await call(msg(), { headers: auth(), body: [profile, request] })).status).toBe(400);
  });

  describe('SEND', () => {
    let dialogId: string;
    beforeEach(async () => {
      const res = await call(msg(), { headers: auth(), body: [profile, request] });
      dialogId = (res.body as unknown as { body: { conversationId?: string } }[])[1]!.body.conversationId!;
    });

    it('when a text is published, then it is recorded with the next sequence', async () => {
      const res = await call(msg('/send'), { headers: auth(), body: publish(dialogId, { type: 'ContentEvent', contentType: 'text/plain', message: 'hi' }) });
      expect(res.body).toEqual({ reqId: '3', code: 'OK', body: { sequence: 0 } });
      expect(sim.conversations.get(dialogId)!.events[0]).toMatchObject({ sequence: 0, role: 'CONSUMER' });
      expect(told).toEqual([{ conversationId: dialogId, message: 'hi' }]);
    });

    it.each([
      ['an unknown dialog', () => publish('nope', { type: 'ChatStateEvent', chatState: 'PAUSE' }), 400],
      ['chatState TYPING', () => publish(dialogId, { type: 'ChatStateEvent', chatState: 'TYPING' }), 400],
      ['a string sequenceList', () => publish(dialogId, { type: 'AcceptStatusEvent', status: 'READ', sequenceList: ['1'] }), 400],
      ['status SEEN', () => publish(dialogId, { type: 'AcceptStatusEvent', status: 'SEEN', sequenceList: [1] }), 400],
      ['contentType text/html', () => publish(dialogId, { type: 'ContentEvent', contentType: 'text/html', message: 'x' }), 400],
      ['a hosted file without file sharing', () => publish(dialogId, { type: 'ContentEvent', contentType: 'hosted/file', message: { relativePath: '/x', fileType: 'PNG' } }), 400],
      ['an upload URL without file sharing', () => ({ kind: 'req', id: 1, type: 'ms.GenerateURLForUploadFile', body: { fileSize: '10', fileType: 'PNG' } }), 400],
      ['an unknown request type', () => ({ kind: 'req', id: 1, type: 'ms.Other', body: {} }), 400],
      ['a batch array', () => [publish(dialogId, { type: 'ChatStateEvent', chatState: 'PAUSE' })], 400],
    ])('when SEND carries %s, then it is refused', async (_l, body, status) => {
      const res = await call(msg('/send'), { headers: auth(), body: body() });
      expect(res.status).toBe(status);
      expect(sim.conversations.get(dialogId)!.events).toEqual([]);
    });

    it("when another consumer SENDs to this conversation, then 401", async () => {
      const other = await call(`${sim.url}/api/account/${acc}/consumer?v=1.0`, { headers: { authorization: appJwt }, body: { ext_consumer_id: 'eve' } });
      const res = await call(msg('/send'), {
        headers: { authorization: appJwt, 'x-lp-on-behalf': other.body.token as string },
        body: publish(dialogId, { type: 'ChatStateEvent', chatState: 'PAUSE' }),
      });
      expect(res.status).toBe(401);
    });

    it('when tokens are expired by the control, then SEND answers 401 with 40102', async () => {
      sim.expireTokens();
      const res = await call(msg('/send'), { headers: auth(), body: publish(dialogId, { type: 'ChatStateEvent', chatState: 'PAUSE' }) });
      expect(res.body.body.errorCode).toBe(40102);
      expect(sim.state.rejections.at(-1)).toMatchObject({ endpoint: 'SEND', status: 401, errorCode: 40102 });
    });
  });
});
