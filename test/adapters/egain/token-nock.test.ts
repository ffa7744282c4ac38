import nock from 'nock';
import { EgainConfig } from '../../../adapters/egain/config.js';
import { INTERACTION_SCOPE } from '../../../adapters/egain/simulator/index.js';
import { withAuthRefresh } from '../../../src/auth/auth-refresh.js';
import { AuthExpiredError } from '../../../src/errors.js';
import { BASIC, deliveryContext, event, makeConnector, makeRuntime } from './harness.js';
import { useNock } from '../../support/nock.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

describe('eGain token request shape and repeated 401 (nock)', () => {
  useNock();
  const base = 'https://egain.test/conversation/conversationmgr/v3';
  const config = EgainConfig.parse({
    apiBaseUrl: base,
    tokenUrl: 'https://auth.egain.test/system/auth/TENANT/oauth2/token',
    clientId: 'cid',
    clientSecret: 'c-secret',
    callbackAuth: BASIC,
  });

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
    const runtime = makeRuntime();
    const connector = makeConnector(config, runtime);
    const ctx = await deliveryContext(runtime, 'customer', 'conv-1');
    expect(await sendEvent(connector.outbound, event({ kind: 'message', text: 'hi' }, 'agent'), ctx)).toEqual({ status: 'sent' });
    expect(Object.fromEntries(form!)).toEqual({
      grant_type: 'client_credentials',
      scope: INTERACTION_SCOPE,
      client_id: 'cid',
      client_secret: 'c-secret',
    });
    expect(nock.isDone()).toBe(true);
  });

  it("when the Hub answers 401 twice, then the core's one refresh makes two token requests and two sends, and AuthExpiredError reaches the delivery engine", async () => {
    nock('https://auth.egain.test').post(/token/).reply(200, { access_token: 'tok-1', expires_in: 3600 });
    nock('https://auth.egain.test').post(/token/).reply(200, { access_token: 'tok-2', expires_in: 3600 });
    nock(base).post('/conversations/messages').matchHeader('authorization', 'Bearer tok-1').reply(401, { code: '401-104', developerMessage: 'expired' });
    nock(base).post('/conversations/messages').matchHeader('authorization', 'Bearer tok-2').reply(401, { code: '401-104', developerMessage: 'expired' });
    const runtime = makeRuntime();
    const connector = makeConnector(config, runtime);
    const ctx = await deliveryContext(runtime, 'customer', 'conv-1');
    // Any third token request or send would find no interceptor and fail with another error.
    const err = await withAuthRefresh(connector, () => sendEvent(connector.outbound, event({ kind: 'message', text: 'hi' }, 'agent'), ctx)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthExpiredError);
    expect((err as AuthExpiredError).vendorCode).toBe('401-104');
    expect(String((err as Error).message)).not.toMatch(/tok-|c-secret/);
    expect(nock.isDone()).toBe(true);
  });
});
