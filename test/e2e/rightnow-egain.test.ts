import { eventually } from '../support/eventually.js';
import { AGENT_JOINED_TEXT, BRIDGE_CHANNEL, bridgePerTest, EGAIN_MAX_TEXT, egainSent } from './harness.js';
import { RIGHTNOW_CASES } from './rightnow-shapes.js';

const GREETING = 'Hallo! Meine Bestellung Nr. 42 — wo ist sie? 🙂';
const REPLY = 'Einen Moment bitte — 请稍等';
const LONG = `${'Das ist eine sehr lange Nachricht, sauber geteilt. '.repeat(12)}Ende`;

describe.each(RIGHTNOW_CASES)('route rightnow -> egain (%s store; %s)', (store, _shapeSet, rightnowShapes) => {
  const bridge = bridgePerTest({ store, tenants: [{ id: 'gamma', customer: 'rightnow', agent: 'egain', rightnowShapes }] });
  const gamma = () => bridge().tenant('gamma');

  async function converse() {
    const rn = gamma().rightnow!;
    const eg = gamma().egain!;
    const engagement = rn.customerStartsChat({ firstName: 'Jörg', lastName: 'Müller', email: 'joerg@example.com', subject: 'Bestellung' });
    await eventually(() => expect(eg.messages).toHaveLength(1));
    const chat = eg.messages[0]!.conversationId;
    // The bridge opened the conversation as the customer app of the tenant's channel, carrying the profile.
    expect(eg.state.conversations.get(chat)!.channelType).toBe(BRIDGE_CHANNEL);
    expect(eg.messages[0]!.message).toMatchObject({
      type: { value: 'customer.info' },
      sender: { type: 'customer' },
      conversation: { customer: { firstName: 'Jörg', lastName: 'Müller', contacts: { contact: expect.arrayContaining([{ type: 'email', address: 'joerg@example.com' }]) } } },
    });

    const agent = { senderType: 'egain_agent' as const, participant: { id: 'agent-3', name: 'Agnès' } };
    await eg.send(chat, 'agent.join', agent);
    await eventually(() => expect(rn.postsFor(engagement).map((p) => p.body)).toEqual([AGENT_JOINED_TEXT]));

    rn.customerTyping(engagement, true);
    await eventually(() => expect(egainSent(eg, chat).at(-1)).toEqual(['typing.start', undefined]));
    await eg.send(chat, 'typing.start', agent);
    await eventually(() => expect(rn.interactions).toEqual([{ engagementId: Number(engagement), mode: 'RESPONDING' }]));

    // The chat server moves the session to another pool mid-conversation: everything after uses the new one.
    rn.movePool('298:2');
    // eGain's channel takes at most EGAIN_MAX_TEXT characters: the long message arrives in parts, nothing lost.
    rn.customerSays(engagement, GREETING);
    rn.customerSays(engagement, LONG);
    await eventually(() => expect(egainSent(eg, chat).filter(([t]) => t === 'text').map(([, text]) => text).join('')).toBe(GREETING + LONG));
    const texts = egainSent(eg, chat).filter(([t]) => t === 'text');
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.every(([, text]) => String(text).length <= EGAIN_MAX_TEXT)).toBe(true);
    expect(egainSent(eg, chat).map(([t]) => t)).toEqual(['customer.info', 'typing.start', ...texts.map(() => 'text')]);

    // RightNow posts are text only (no receipts either side): a file reaches the end user as a link.
    const invoice = eg.addAsset({ name: 'rechnung.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4'), channelType: BRIDGE_CHANNEL });
    await eg.agentSays(chat, REPLY, agent);
    await eg.agentSays(chat, LONG, agent);
    await eg.agentSays(chat, 'Ihre Rechnung', { ...agent, attachmentIds: [invoice] });
    await eventually(() => expect(rn.postsFor(engagement)).toHaveLength(4));
    const bodies = rn.postsFor(engagement).map((p) => p.body);
    expect(bodies.slice(0, 3)).toEqual([AGENT_JOINED_TEXT, REPLY, LONG]);
    // The file is named with the bridge's own link: eGain's signed URL would expire within the hour.
    expect(bodies[3]).toMatch(new RegExp(`^Ihre Rechnung\\nrechnung\\.pdf: ${bridge().service.url}/files/gamma/[\\w-]+\\.[\\w-]+$`));
    expect(eg.rejections).toEqual([]);
    return { engagement, chat };
  }

  it('when the customer ends the chat, then eGain received the whole conversation in order and its end', async () => {
    const { engagement, chat } = await converse();
    gamma().rightnow!.customerLeaves(engagement);
    await eventually(() => expect(egainSent(gamma().egain!, chat).at(-1)).toEqual(['conversation.end', undefined]));
    // The engagement's slot is given back, so the automated agent keeps being offered chats.
    await eventually(() => expect(gamma().rightnow!.released).toEqual([Number(engagement)]));
    expect(gamma().rightnow!.concluded).toEqual([Number(engagement)]);
    expect(gamma().rightnow!.requests.filter((r) => r.operation === 'postMessage').at(-1)!.query.pool).toBe('298:2');
  });

  it('when the agent ends the chat, then the RightNow engagement is concluded', async () => {
    const { engagement, chat } = await converse();
    await gamma().egain!.send(chat, 'conversation.end', { senderType: 'egain_agent' });
    await eventually(() => expect(gamma().rightnow!.released).toEqual([Number(engagement)]));
    expect(gamma().rightnow!.concluded).toEqual([Number(engagement)]);
    expect(egainSent(gamma().egain!, chat).map(([t]) => t)).not.toContain('conversation.end');
  });
});
