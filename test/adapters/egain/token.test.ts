import nock from 'nock';
import { EgainConfig } from '../../../adapters/egain/config.js';
import { INTERACTION_SCOPE, startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { AuthExpiredError, PermanentError } from '../../../src/errors.js';
import { BASIC, CHANNEL, CHANNEL_TYPE, connectorFor, contextFor, egainConfig, event } from './helpers.js';

describe('eGain OAuth2 client-credentials token', () => {
  describe('against the simulator', () => {
    let sim: EgainSimulator;
    beforeEach(async () => {
      sim = await startEgainSimulator({ channels: [CHANNEL], tokenTtlSeconds: 3600 });
    });
    afterEach(() => sim.close());

    const ready = async (overrides = {}) => {
      const { connector, runtime } = connectorFor(egainConfig(sim, overrides));
      const ctx = await contextFor(runtime, 'customer', sim.openConversation(CHANNEL_TYPE, 'c'));
      return { connector, ctx };
    };

    it('when many sends start without a token, then the token endpoint is asked once and the token is reused', async () => {
      const { connector, ctx } = await ready();
      const results = await Promise.all(Array.from({ length: 10 }, () => connector.send(event({ kind: 'typing', state: 'start' }, 'agent'), ctx)));
      await connector.send(event({ kind: 'typing', state: 'stop' }, 'agent'), ctx);
      expect(results.every((r) => r.status === 'sent')).toBe(true);
      expect(sim.tokenRequests).toBe(1);
      expect(sim.messages).toHaveLength(11);
    });

    it('when the cached token is within the refresh margin of its expiry, then a fresh one is fetched first', async () => {
      await sim.close();
      sim = await startEgainSimulator({ channels: [CHANNEL], tokenTtlSeconds: 30 });
      const { connector, ctx } = await ready({ tokenRefreshMarginMs: 60_000 });
      await connector.send(event({ kind: 'message', text: 'a' }, 'agent'), ctx);
      await connector.send(event({ kind: 'message', text: 'b' }, 'agent'), ctx);
      expect(sim.tokenRequests).toBe(2);
      expect(sim.rejections).toHaveLength(0);
    });

    it('when the Hub answers 401 for an expired token, then the bridge refreshes once and the retry is accepted', async () => {
      const { connector, ctx } = await ready();
      await connector.send(event({ kind: 'message', text: 'before' }, 'agent'), ctx);
      sim.expireTokens();
      const result = await connector.send(event({ kind: 'message', text: 'after' }, 'agent'), ctx);
      expect(result.status).toBe('sent');
      expect(sim.tokenRequests).toBe(2);
      expect(sim.rejections.map((r) => [r.status, r.code])).toEqual([[401, '401-104']]);
      expect(sim.messages.map((m) => m.message.content?.text)).toEqual(['before', 'after']);
    });

    it('when the client asks for a scope it was not granted, then the send fails permanently', async () => {
      const { connector, ctx } = await ready({ scope: 'app.conversation.conversationmgr.other' });
      await expect(connector.send(event({ kind: 'message', text: 'x' }, 'agent'), ctx)).rejects.toBeInstanceOf(PermanentError);
      expect(sim.messages).toHaveLength(0);
    });
  });

  describe('request shape and repeated 401 (nock)', () => {
    const base = 'https://egain.test/conversation/conversationmgr/v3';
    const config = EgainConfig.parse({
      apiBaseUrl: base,
      tokenUrl: 'https://auth.egain.test/system/auth/TENANT/oauth2/token',
      clientId: 'cid',
      clientSecret: 'c-secret',
      callbackAuth: BASIC,
    });
    beforeAll(() => nock.disableNetConnect());
    afterEach(() => nock.cleanAll());
    afterAll(() => nock.enableNetConnect());

    it('when a token is fetched, then it is a form-encoded client-credentials request with the configured scope', async () => {
      let form: URLSearchParams | undefined;
      nock('https://auth.egain.test')
        .post('/system/auth/TENANT/oauth2/token', (body: string) => {
          form = new URLSearchParams(body);
          return true;
        })
        .matchHeader('content-type', 'application/x-www-form-urlencoded')
        .reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 });
      nock(base).post('/conversations/messages').matchHeader('authorization', 'Bearer tok-1').reply(202, {});
      const { connector, runtime } = connectorFor(config);
      const ctx = await contextFor(runtime, 'customer', 'conv-1');
      expect(await connector.send(event({ kind: 'message', text: 'hi' }, 'agent'), ctx)).toEqual({ status: 'sent' });
      expect(Object.fromEntries(form!)).toEqual({
        grant_type: 'client_credentials',
        scope: INTERACTION_SCOPE,
        client_id: 'cid',
        client_secret: 'c-secret',
      });
      expect(nock.isDone()).toBe(true);
    });

    it('when the Hub answers 401 twice, then exactly one refresh happens and AuthExpiredError reaches the core', async () => {
      nock('https://auth.egain.test').post(/token/).reply(200, { access_token: 'tok-1', expires_in: 3600 });
      nock('https://auth.egain.test').post(/token/).reply(200, { access_token: 'tok-2', expires_in: 3600 });
      nock(base).post('/conversations/messages').matchHeader('authorization', 'Bearer tok-1').reply(401, { code: '401-104', developerMessage: 'expired' });
      nock(base).post('/conversations/messages').matchHeader('authorization', 'Bearer tok-2').reply(401, { code: '401-104', developerMessage: 'expired' });
      const { connector, runtime } = connectorFor(config);
      const ctx = await contextFor(runtime, 'customer', 'conv-1');
      const err = await connector.send(event({ kind: 'message', text: 'hi' }, 'agent'), ctx).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthExpiredError);
      expect((err as AuthExpiredError).vendorCode).toBe('401-104');
      expect(String((err as Error).message)).not.toMatch(/tok-|c-secret/);
      expect(nock.isDone()).toBe(true);
    });
  });
});
