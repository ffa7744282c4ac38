import { startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { withAuthRefresh } from '../../../src/auth/auth-refresh.js';
import { AuthExpiredError, PermanentError } from '../../../src/errors.js';
import { CHANNEL, CHANNEL_TYPE, deliveryContext, egainConfig, event, makeConnector, makeRuntime } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

describe('eGain OAuth2 client-credentials token', () => {
  describe('against the simulator', () => {
    let sim: EgainSimulator;
    beforeEach(async () => {
      sim = await startEgainSimulator({ channels: [CHANNEL], tokenTtlSeconds: 3600 });
    });
    afterEach(() => sim.close());

    const ready = async (overrides = {}) => {
      const runtime = makeRuntime();
      const connector = makeConnector(egainConfig(sim, overrides), runtime);
      const ctx = await deliveryContext(runtime, 'customer', sim.openConversation(CHANNEL_TYPE, 'c'));
      return { connector, ctx };
    };

    it('when many sends start without a token, then the token endpoint is asked once and the token is reused', async () => {
      const { connector, ctx } = await ready();
      const results = await Promise.all(Array.from({ length: 10 }, () => sendEvent(connector.outbound, event({ kind: 'typing', state: 'start' }, 'agent'), ctx)));
      await sendEvent(connector.outbound, event({ kind: 'typing', state: 'stop' }, 'agent'), ctx);
      expect(results.every((r) => r.status === 'sent')).toBe(true);
      expect(sim.tokenRequests).toBe(1);
      expect(sim.messages).toHaveLength(11);
    });

    it('when the cached token is within the refresh margin of its expiry, then a fresh one is fetched first', async () => {
      await sim.close();
      sim = await startEgainSimulator({ channels: [CHANNEL], tokenTtlSeconds: 30 });
      const { connector, ctx } = await ready({ tokenRefreshMarginMs: 60_000 });
      await sendEvent(connector.outbound, event({ kind: 'message', text: 'a' }, 'agent'), ctx);
      await sendEvent(connector.outbound, event({ kind: 'message', text: 'b' }, 'agent'), ctx);
      expect(sim.tokenRequests).toBe(2);
      expect(sim.rejections).toHaveLength(0);
    });

    it('when the Hub answers 401 for an expired token, then the send fails AuthExpiredError without a retry of its own, and after refreshAuth it is accepted', async () => {
      const { connector, ctx } = await ready();
      await sendEvent(connector.outbound, event({ kind: 'message', text: 'before' }, 'agent'), ctx);
      sim.expireTokens();
      const after = event({ kind: 'message', text: 'after' }, 'agent');
      const refused = await sendEvent(connector.outbound, after, ctx).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AuthExpiredError);
      expect(sim.tokenRequests).toBe(1);
      // As the core does: refresh once, send once more at once.
      await connector.refreshAuth!();
      expect((await sendEvent(connector.outbound, after, ctx)).status).toBe('sent');
      expect(sim.tokenRequests).toBe(2);
      expect(sim.rejections.map((r) => [r.status, r.code])).toEqual([[401, '401-104']]);
      expect(sim.messages.map((m) => m.message.content?.text)).toEqual(['before', 'after']);
    });

    it('when many sends meet the expired token at once, then each is retried once after its refresh, one new token serves them all and all arrive', async () => {
      const { connector, ctx } = await ready();
      await sendEvent(connector.outbound, event({ kind: 'message', text: 'before' }, 'agent'), ctx);
      sim.expireTokens();
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => withAuthRefresh(connector, () => sendEvent(connector.outbound, event({ kind: 'message', text: `m${i}` }, 'agent'), ctx))),
      );
      expect(results.every((r) => r.status === 'sent')).toBe(true);
      expect(sim.messages).toHaveLength(6);
      expect(sim.tokenRequests).toBe(2);
      expect(sim.rejections).toHaveLength(5);
    });

    it.each([
      ['a JWT with exp', { expiresIn: false, jwt: true }],
      ['an opaque token', { expiresIn: false, jwt: false }],
    ])('when the token reply has no expires_in and the token is %s, then sends work and the token is reused', async (_what, tokenReply) => {
      await sim.close();
      sim = await startEgainSimulator({ channels: [CHANNEL], tokenTtlSeconds: 3600, tokenReply });
      const { connector, ctx } = await ready();
      const results = [];
      for (const text of ['a', 'b', 'c']) results.push(await sendEvent(connector.outbound, event({ kind: 'message', text }, 'agent'), ctx));
      expect(results.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      expect(sim.tokenRequests).toBe(1);
    });

    it('when the client asks for a scope it was not granted, then the send fails permanently', async () => {
      const { connector, ctx } = await ready({ scope: 'app.conversation.conversationmgr.other' });
      await expect(sendEvent(connector.outbound, event({ kind: 'message', text: 'x' }, 'agent'), ctx)).rejects.toBeInstanceOf(PermanentError);
      expect(sim.messages).toHaveLength(0);
    });
  });
});
