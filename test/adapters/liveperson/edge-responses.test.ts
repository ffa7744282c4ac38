import { SignJWT } from 'jose';
import nock from 'nock';
import { AuthExpiredError, PermanentError, RetryableError } from '../../../src/errors.js';
import { deliveryContext, event, makeConnector, makeRuntime } from './harness.js';
import { useNock } from '../../support/nock.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

const ACCOUNT = '12345678';
const MSG = 'https://msg.lp.test';
const SEND_PATH = `/api/account/${ACCOUNT}/messaging/consumer/conversation/send`;
const CONV_PATH = `/api/account/${ACCOUNT}/messaging/consumer/conversation`;
const key = new TextEncoder().encode('k'.repeat(32));

/** nock 15 hands a reply function the intercepted fetch Request. */
const json = async <T>(req: Request): Promise<T> => (await req.clone().json()) as T;

const jwt = (claims: Record<string, unknown>, expSeconds?: number) => {
  const t = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' });
  if (expSeconds) t.setExpirationTime(Math.floor(Date.now() / 1000) + expSeconds);
  return t.sign(key);
};

async function setup(requestTimeoutMs = 2000) {
  const runtime = makeRuntime();
  const connector = makeConnector(
    {
      accountId: ACCOUNT,
      clientId: 'cid',
      clientSecret: 'csecret',
      requestTimeoutMs,
      domainOverrides: { asyncMessagingEnt: 'msg.lp.test', sentinel: 'sentinel.lp.test', idp: 'idp.lp.test' },
    },
    runtime,
  );
  const appJwt = await jwt({ iss: 'Sentinel' }, 3600);
  const consumerJws = await jwt({ lp_consumer_id: 'f'.repeat(64) });
  nock('https://sentinel.lp.test')
    .post(`/sentinel/api/account/${ACCOUNT}/app/token`, 'client_id=cid&client_secret=csecret')
    .query({ v: '1.0', grant_type: 'client_credentials' })
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .reply(200, { access_token: appJwt, token_type: 'Bearer' });
  nock('https://idp.lp.test')
    .post(`/api/account/${ACCOUNT}/consumer`, (b: { ext_consumer_id?: string }) => /^cb-/.test(b.ext_consumer_id ?? ''))
    .query({ v: '1.0' })
    .matchHeader('authorization', appJwt)
    .reply(201, { token: consumerJws });
  const ctx = await deliveryContext(runtime.store);
  await ctx.conversation.link('conv-1');
  return { connector, ctx, appJwt, consumerJws };
}

const sendScope = (appJwt: string, consumerJws: string) =>
  nock(MSG).post(SEND_PATH).query({ v: '3' }).matchHeader('authorization', appJwt).matchHeader('x-lp-on-behalf', consumerJws);

describe('LivePerson edge responses (nock)', () => {
  useNock();

  it('when SEND succeeds, then the raw AppJWT and the ConsumerJWS are the headers and the body is ms.PublishEvent', async () => {
    const { connector, ctx, appJwt, consumerJws } = await setup();
    let body: unknown;
    sendScope(appJwt, consumerJws).reply(200, async (req: Request) => {
      body = await json(req);
      return { reqId: (body as { id: string }).id, code: 'OK', body: { sequence: 7 } };
    });
    expect(await sendEvent(connector.outbound, event(ctx, { kind: 'message', text: 'hi' }), ctx)).toEqual({ status: 'sent', nativeMessageIds: ['conv-1:7'] });
    expect(body).toEqual({
      kind: 'req',
      id: expect.any(String),
      type: 'ms.PublishEvent',
      body: { dialogId: 'conv-1', event: { type: 'ContentEvent', contentType: 'text/plain', message: 'hi' } },
    });
  });

  it.each([
    ['401 with 40102', 401, { kind: 'resp', code: 401, body: { title: 'x', details: 'x', errorCode: 40102 } }, AuthExpiredError],
    ['401 with 40103', 401, { kind: 'resp', code: 401, body: { title: 'x', details: 'x', errorCode: 40103 } }, PermanentError],
    ['400', 400, { kind: 'resp', code: 400, body: { title: 'bad' } }, PermanentError],
    ['500', 500, {}, RetryableError],
    ['503', 503, {}, RetryableError],
  ])('when SEND answers %s, then the error is the right class', async (_label, status, reply, type) => {
    const { connector, ctx, appJwt, consumerJws } = await setup();
    sendScope(appJwt, consumerJws).reply(status, reply);
    const err = await sendEvent(connector.outbound, event(ctx, { kind: 'message', text: 'x' }), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).not.toBeInstanceOf(type === PermanentError ? RetryableError : PermanentError);
  });

  it.each([
    ['no Retry-After', {}, 1000],
    ['Retry-After: 0', { 'Retry-After': '0' }, 1000],
    ['Retry-After: 3', { 'Retry-After': '3' }, 3000],
  ])("when SEND answers 429 with %s, then the error is retryable after LivePerson's second at least", async (_label, headers, wait) => {
    const { connector, ctx, appJwt, consumerJws } = await setup();
    sendScope(appJwt, consumerJws).reply(429, {}, headers);
    const err = (await sendEvent(connector.outbound, event(ctx, { kind: 'message', text: 'x' }), ctx).catch((e: unknown) => e)) as RetryableError;
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.retryAfterMs).toBe(wait);
  });

  it("when a 200 reply carries code 429, then the error is retryable after LivePerson's second", async () => {
    const { connector, ctx, appJwt, consumerJws } = await setup();
    sendScope(appJwt, consumerJws).reply(200, { reqId: '1', code: 429, body: {} });
    const err = (await sendEvent(connector.outbound, event(ctx, { kind: 'message', text: 'x' }), ctx).catch((e: unknown) => e)) as RetryableError;
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.retryAfterMs).toBe(1000);
  });

  it('when SEND does not answer in time, then the error is retryable', async () => {
    const { connector, ctx, appJwt, consumerJws } = await setup(150);
    sendScope(appJwt, consumerJws).delay(1000).reply(200, { code: 'OK', body: { sequence: 1 } });
    const err = await sendEvent(connector.outbound, event(ctx, { kind: 'message', text: 'x' }), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
  });

  it.each([
    [500, RetryableError],
    [400, PermanentError],
  ])('when a 200 reply carries code %i, then it is classified like that status', async (code, type) => {
    const { connector, ctx, appJwt, consumerJws } = await setup();
    sendScope(appJwt, consumerJws).reply(200, { reqId: '1', code, body: {} });
    await expect(sendEvent(connector.outbound, event(ctx, { kind: 'message', text: 'x' }), ctx)).rejects.toBeInstanceOf(type);
  });

  it('when CONVERSATION replies out of order, then the conversationId is taken from the item matching our reqId', async () => {
    const runtime = makeRuntime();
    const { connector, appJwt, consumerJws } = await setup();
    const ctx = await deliveryContext(runtime.store);
    let sent: { id: string; type: string }[] = [];
    nock(MSG)
      .post(CONV_PATH)
      .query({ v: '3' })
      .matchHeader('authorization', appJwt)
      .matchHeader('x-lp-on-behalf', consumerJws)
      .reply(200, async (req: Request) => {
        sent = await json(req);
        return [
          { code: 'OK', body: { conversationId: 'someone-else' }, reqId: 'other' },
          { code: 'OK', body: { conversationId: 'ours' }, reqId: sent[1]!.id },
          { code: 'OK', body: { msg: 'OK User Profile set successfully' }, reqId: sent[0]!.id },
        ];
      });
    await sendEvent(connector.outbound, event(ctx, { kind: 'conversation.started', customer: {} }), ctx);
    expect(sent.map((i) => i.type)).toEqual(['userprofile.SetUserProfile', 'cm.ConsumerRequestConversation']);
    expect(ctx.conversation.nativeId()).toBe('ours');
  });

  it('when CONVERSATION refuses the request item, then the error is permanent and nothing is linked', async () => {
    const runtime = makeRuntime();
    const { connector } = await setup();
    const ctx = await deliveryContext(runtime.store);
    nock(MSG)
      .post(CONV_PATH)
      .query({ v: '3' })
      .reply(200, async (req: Request) => (await json<{ id: string }[]>(req)).map((i) => ({ code: 400, body: { msg: 'no' }, reqId: i.id })));
    await expect(sendEvent(connector.outbound, event(ctx, { kind: 'conversation.started', customer: {} }), ctx)).rejects.toBeInstanceOf(PermanentError);
    expect(ctx.conversation.nativeId()).toBeUndefined();
  });
});
