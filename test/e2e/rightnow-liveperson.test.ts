import { eventually } from '../support/eventually.js';
import { AGENT_JOINED_TEXT, bridgePerTest, consumerEvents, onlyConversation } from './harness.js';
import { RIGHTNOW_CASES } from './rightnow-shapes.js';

const GREETING = 'Grüße aus Köln — 你好 👋';
const REPLY = 'Ça marche ✅ — ありがとう';
// Neither side documents a length limit for these: the text must arrive whole, never cut.
const LONG = `${'Ünïcödé long message. '.repeat(300)}end`;

describe.each(RIGHTNOW_CASES)('route rightnow -> liveperson (%s store; %s)', (store, _shapeSet, rightnowShapes) => {
  const bridge = bridgePerTest({ store, tenants: [{ id: 'acme', customer: 'rightnow', agent: 'liveperson', rightnowShapes }] });
  const acme = () => bridge().tenant('acme');

  /** Everything up to the end: open, join, typing, messages, receipt, attachment. */
  async function converse() {
    const rn = acme().rightnow!;
    const lp = acme().liveperson!;
    const engagement = rn.customerStartsChat({ firstName: 'Zoë', lastName: 'Ångström', email: 'zoe@example.com', subject: 'Order 42' });
    await eventually(() => void onlyConversation(lp));
    const conv = onlyConversation(lp);
    expect(lp.conversations.get(conv)!.profiles[0]).toEqual({
      authenticatedData: {
        lp_sdes: [
          { type: 'ctmrinfo', info: { userName: 'Zoë Ångström' } },
          { type: 'personal', personal: { firstname: 'Zoë', lastname: 'Ångström', contacts: [{ email: 'zoe@example.com' }] } },
        ],
      },
    });

    await lp.agentJoins(conv, { id: 'agent-7' });
    await eventually(() => expect(rn.postsFor(engagement).map((p) => p.body)).toEqual([AGENT_JOINED_TEXT]));

    rn.customerTyping(engagement, true);
    await eventually(() => expect(consumerEvents(lp, conv)).toEqual([['ChatStateEvent', 'COMPOSING']]));
    await lp.agentTyping(conv, 'COMPOSING');
    await eventually(() => expect(rn.interactions).toEqual([{ engagementId: Number(engagement), mode: 'RESPONDING' }]));

    // The chat server moves the session to another pool mid-conversation: everything after uses the new one.
    rn.movePool('298:2');
    rn.customerSays(engagement, GREETING);
    rn.customerSays(engagement, LONG);
    await eventually(() =>
      expect(consumerEvents(lp, conv)).toEqual([
        ['ChatStateEvent', 'COMPOSING'],
        ['ContentEvent text/plain', GREETING],
        ['ChatStateEvent', 'PAUSE'],
        ['ContentEvent text/plain', LONG],
      ]),
    );

    const { sequences } = await lp.agentSays(conv, [REPLY, LONG]);
    await eventually(() => expect(rn.postsFor(engagement).map((p) => p.body)).toEqual([AGENT_JOINED_TEXT, REPLY, LONG]));

    // RightNow has no receipts: the agent's read receipt is dropped there, on purpose and counted.
    await lp.agentReads(conv, [sequences[0]!]);
    await eventually(async () =>
      expect(await bridge().dropped({ tenant: 'acme', platform: 'rightnow', kind: 'receipt' })).toBe(1),
    );
    // LivePerson hands the agent's image over as a hosted file with no URL the bridge could link to, and
    // RightNow posts are text only: the end user is told a file was sent rather than left unaware of it.
    await lp.agentSharesFile(conv, { name: 'scan.png', fileType: 'PNG' });
    await eventually(() =>
      expect(rn.postsFor(engagement).map((p) => p.body)).toEqual([AGENT_JOINED_TEXT, REPLY, LONG, 'scan.png: (not downloadable)']),
    );
    return { engagement, conv };
  }

  it('when the customer ends the chat, then LivePerson received the whole conversation in order and is closed', async () => {
    const { engagement, conv } = await converse();
    acme().rightnow!.customerLeaves(engagement);
    await eventually(() => expect(acme().liveperson!.conversations.get(conv)!.state).toBe('CLOSE'));
    expect(acme().liveperson!.conversations.get(conv)!.closeReason).toBe('CONSUMER');
    // The engagement's slot is given back, so the automated agent keeps being offered chats.
    await eventually(() => expect(acme().rightnow!.released).toEqual([Number(engagement)]));
    expect(acme().rightnow!.concluded).toEqual([Number(engagement)]);
    expect(acme().liveperson!.state.rejections).toEqual([]);
    expect(acme().rightnow!.requests.filter((r) => r.operation === 'postMessage').at(-1)!.query.pool).toBe('298:2');
  });

  it('when the agent ends the chat, then the RightNow engagement is concluded', async () => {
    const { engagement } = await converse();
    await acme().liveperson!.closeConversation(onlyConversation(acme().liveperson!), 'AGENT');
    await eventually(() => expect(acme().rightnow!.released).toEqual([Number(engagement)]));
    expect(acme().rightnow!.concluded).toEqual([Number(engagement)]);
    expect(acme().rightnow!.engagementState(engagement)).toBe('released');
  });
});
