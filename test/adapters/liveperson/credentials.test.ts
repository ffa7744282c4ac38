import { AuthExpiredError } from '../../../src/errors.js';
import { deliveryContext, event, makeConnector, makeRuntime, type Stack, startStack } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

describe('LivePerson credentials and domains against the simulator', () => {
  let stack: Stack;
  afterEach(async () => stack.close());

  it('when many events are sent, then each domain is looked up once and one AppJWT is issued', async () => {
    stack = await startStack();
    for (let i = 0; i < 3; i += 1) {
      const ctx = await stack.deliveryContext();
      await stack.deliver(event(ctx, { kind: 'message', text: `m${i}` }), ctx);
      await stack.deliver(event(ctx, { kind: 'typing', state: 'start' }), ctx);
    }
    expect(stack.simulator.state.domainLookups).toEqual({ sentinel: 1, idp: 1, asyncMessagingEnt: 1 });
    expect(stack.simulator.state.appTokensIssued).toBe(1);
  });

  it('when 50 sends start together with no AppJWT yet, then sentinel is asked once', async () => {
    stack = await startStack();
    const contexts = await Promise.all(Array.from({ length: 50 }, () => stack.deliveryContext()));
    const results = await Promise.all(contexts.map((ctx) => stack.deliver(event(ctx, { kind: 'message', text: 'hi' }), ctx)));
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(stack.simulator.state.appTokensIssued).toBe(1);
    expect(stack.simulator.conversations.size).toBe(50);
  });

  it("when the AppJWT's exp is inside the refresh margin, then the next send fetches a new one", async () => {
    stack = await startStack({ appJwtTtlSeconds: 30 }, { appJwtRefreshMarginSeconds: 60 });
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'message', text: 'one' }), ctx);
    const afterFirst = stack.simulator.state.appTokensIssued;
    await stack.deliver(event(ctx, { kind: 'message', text: 'two' }), ctx);
    expect(stack.simulator.state.appTokensIssued).toBe(afterFirst + 1);

    stack.simulator.setAppJwtTtlSeconds(3600);
    await stack.deliver(event(ctx, { kind: 'message', text: 'three' }), ctx);
    const cached = stack.simulator.state.appTokensIssued;
    await stack.deliver(event(ctx, { kind: 'message', text: 'four' }), ctx);
    expect(stack.simulator.state.appTokensIssued).toBe(cached);
  });

  it('when the AppJWT expired on the LivePerson side, then 40102 -> AuthExpiredError, and after refreshAuth the send succeeds', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'message', text: 'before' }), ctx);
    stack.simulator.expireTokens();
    const retry = event(ctx, { kind: 'message', text: 'after' });
    const err = (await stack.deliver(retry, ctx).catch((e: unknown) => e)) as AuthExpiredError;
    expect(err).toBeInstanceOf(AuthExpiredError);
    expect(err.vendorCode).toBe('40102');
    await stack.connector.refreshAuth!();
    expect(await stack.deliver(retry, ctx)).toMatchObject({ status: 'sent' });
    expect(stack.simulator.state.appTokensIssued).toBe(2);
  });

  it('when 50 sends are refused with 40102 at once, then their refreshAuth calls lead to a single new AppJWT', async () => {
    stack = await startStack();
    const contexts = await Promise.all(Array.from({ length: 50 }, () => stack.deliveryContext()));
    await Promise.all(contexts.map((ctx) => stack.deliver(event(ctx, { kind: 'conversation.started', customer: {} }), ctx)));
    stack.simulator.expireTokens();
    const attempt = (ctx: (typeof contexts)[number]) => stack.deliver(event(ctx, { kind: 'message', text: 'x' }), ctx);
    const errors = await Promise.all(contexts.map((ctx) => attempt(ctx).catch((e: unknown) => e)));
    expect(errors.every((e) => e instanceof AuthExpiredError)).toBe(true);
    // As the core does: each failed delivery calls refreshAuth, then retries at once.
    const retried = await Promise.all(
      contexts.map(async (ctx) => {
        await stack.connector.refreshAuth!();
        return attempt(ctx);
      }),
    );
    expect(retried.every((r) => r.status === 'sent')).toBe(true);
    expect(stack.simulator.state.appTokensIssued).toBe(2);
  });

  it('when a conversation is delivered by a restarted instance, then its stored ConsumerJWS is reused', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'message', text: 'first' }), ctx);
    await stack.deliver(event(ctx, { kind: 'message', text: 'second' }), ctx);
    const restarted = makeConnector(
      {
        accountId: stack.simulator.accountId,
        domainApiUrl: stack.simulator.url,
        clientId: stack.simulator.clientId,
        clientSecret: stack.simulator.clientSecret,
        scheme: 'http',
      },
      makeRuntime(stack.store),
    );
    await sendEvent(restarted.outbound, event(ctx, { kind: 'message', text: 'third' }), ctx);
    expect(stack.simulator.state.consumersCreated).toHaveLength(1);
    const conv = stack.simulator.conversations.get(ctx.conversation.nativeId()!)!;
    expect(conv.events.map((e) => e.event.message)).toEqual(['first', 'second', 'third']);
    expect(conv.consumerId).toBe(stack.simulator.lpConsumerId(stack.simulator.state.consumersCreated[0]!));
  });

  it('when two conversations are delivered, then each has its own stable consumer', async () => {
    stack = await startStack();
    const [a, b] = [await stack.deliveryContext(), await stack.deliveryContext()];
    await stack.deliver(event(a, { kind: 'message', text: 'a' }), a);
    await stack.deliver(event(b, { kind: 'message', text: 'b' }), b);
    const created = stack.simulator.state.consumersCreated;
    expect(new Set(created).size).toBe(2);
    expect(created.every((id) => /^cb-[0-9a-f]{40}$/.test(id))).toBe(true);
  });

  it('when the client secret is wrong, then the send fails permanently and nothing is sent', async () => {
    stack = await startStack();
    const runtime = makeRuntime();
    const wrong = makeConnector(
      { accountId: stack.simulator.accountId, domainApiUrl: stack.simulator.url, clientId: stack.simulator.clientId, clientSecret: 'nope', scheme: 'http' },
      runtime,
    );
    const ctx = await deliveryContext(runtime.store);
    const err = await sendEvent(wrong.outbound, event(ctx, { kind: 'message', text: 'x' }), ctx).catch((e: unknown) => e);
    expect((err as Error).name).toBe('PermanentError');
    expect(String((err as Error).message)).not.toContain('nope');
    expect(stack.simulator.conversations.size).toBe(0);
  });
});
