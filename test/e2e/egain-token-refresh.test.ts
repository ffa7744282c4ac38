import { eventually } from '../support/eventually.js';
import { bridgePerTest, egainSent } from './harness.js';

/** The one retry of a refused credential is the core's: eGain's adapter refuses, the delivery refreshes once. */
describe('route rightnow -> egain when eGain refuses the access token', () => {
  const bridge = bridgePerTest({ store: 'memory', tenants: [{ id: 'gamma', customer: 'rightnow', agent: 'egain' }] });

  it('when the token expired on the Hub, then the delivery refreshes it once and the message arrives: one more token, two sends', async () => {
    const rn = bridge().tenant('gamma').rightnow!;
    const eg = bridge().tenant('gamma').egain!;
    const engagement = rn.customerStartsChat({ firstName: 'Jörg', lastName: 'Müller', email: 'joerg@example.com', subject: 'Token' });
    await eventually(() => expect(eg.messages).toHaveLength(1));
    const chat = eg.messages[0]!.conversationId;
    const tokensBefore = eg.tokenRequests;
    const sendsBefore = eg.requests.filter((r) => r.path === '/conversations/messages').length;

    eg.expireTokens();
    rn.customerSays(engagement, 'after the expiry');

    await eventually(() => expect(egainSent(eg, chat).at(-1)).toEqual(['text', 'after the expiry']));
    expect(eg.tokenRequests - tokensBefore).toBe(1);
    expect(eg.requests.filter((r) => r.path === '/conversations/messages').length - sendsBefore).toBe(2);
    expect(eg.rejections.map((r) => [r.status, r.code])).toEqual([[401, '401-104']]);
  });
});
