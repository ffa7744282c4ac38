import { eventually } from '../support/eventually.js';
import { bridgePerTest, CUSTOMER_CHANNEL, consumerEvents, onlyConversation, STORE_MODES } from './harness.js';

/** Rolling a live conversation back to the customer platform's own agents (POST /admin/conversations/:id/hand-back). */

describe.each(STORE_MODES)('hand-back to RightNow\'s own agents (%s store)', (store) => {
  const bridge = bridgePerTest({ store, tenants: [{ id: 'acme', customer: 'rightnow', agent: 'liveperson' }] });

  it('when an admin hands a live conversation back, then RightNow\'s agents get the summary, the chat is rerouted and LivePerson ends', async () => {
    const { rightnow: rn, liveperson: lp } = bridge().tenant('acme');
    const engagement = rn!.customerStartsChat({ firstName: 'Zoë', subject: 'Refund' });
    rn!.customerSays(engagement, 'I want my money back');
    // Once the first message is in, the bridge has linked LivePerson's conversation: agent webhooks find it.
    await eventually(() => expect(consumerEvents(lp!, onlyConversation(lp!))).toHaveLength(1));
    const conv = onlyConversation(lp!);
    await lp!.agentSays(conv, 'Let me check — un instant');
    await eventually(() => expect(rn!.postsFor(engagement)).toHaveLength(1));
    const id = (await bridge().service.bridge.store.resolveConversation('acme', 'rightnow', engagement))!.id;

    const answer = await bridge().admin(`/admin/conversations/${id}/hand-back`, {});
    expect(answer).toEqual({ status: 202, body: { conversationId: id, handedBackTo: 'rightnow', ended: 'liveperson', summary: true } });

    const summary = 'Conversation so far about "Refund" (last 2 of 2 messages):\nCustomer: I want my money back\nAgent: Let me check — un instant';
    expect(rn!.postsFor(engagement).map((p) => [p.body, p.visibility])).toEqual([
      ['Let me check — un instant', 'ALL'],
      [summary, 'NOT_ENDUSER'],
    ]);
    expect(rn!.rerouted).toEqual([Number(engagement)]);
    await eventually(() => expect(lp!.conversations.get(conv)!.state).toBe('CLOSE'));

    // RightNow's agents have it now: nothing more crosses in either direction.
    rn!.customerSays(engagement, 'hello?');
    expect(rn!.escalated.map((e) => e.body.body)).toEqual(['hello?']);
    await lp!.agentSays(conv, 'late reply from the old side');
    await eventually(async () => expect(await bridge().dropped({ tenant: 'acme', platform: 'liveperson', kind: 'message', reason: 'native-agents' })).toBe(1));
    expect(rn!.postsFor(engagement)).toHaveLength(2);
    expect(consumerEvents(lp!, conv).map(([, text]) => text)).toEqual(['I want my money back']);
    expect(rn!.concluded).toEqual([]);

    const { body } = await bridge().admin(`/admin/conversations/${id}`);
    expect(body.conversation.attrs).toMatchObject({ native: 'handed-back', nativeAt: expect.any(String), endedAt: expect.any(String) });
    const { values } = await bridge().metrics.routeHandBacks.get();
    expect(values).toEqual([expect.objectContaining({ labels: { tenant: 'acme', route: 'rightnow->liveperson' }, value: 1 })]);

    const again = await bridge().admin(`/admin/conversations/${id}/hand-back`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('conflict');
  });

  it('when the conversation is unknown, the caller is not an admin, or RightNow refuses, then the answer says so and nothing changes', async () => {
    const { rightnow: rn, liveperson: lp } = bridge().tenant('acme');
    expect(await bridge().admin('/admin/conversations/nope/hand-back', {})).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no conversation with that id' },
    });
    const engagement = rn!.customerStartsChat({ firstName: 'Ada' });
    rn!.customerSays(engagement, 'hi');
    await eventually(() => void onlyConversation(lp!));
    const id = (await bridge().service.bridge.store.resolveConversation('acme', 'rightnow', engagement))!.id;
    const anonymous = await fetch(`${bridge().service.url}/admin/conversations/${id}/hand-back`, { method: 'POST' });
    expect(anonymous.status).toBe(401);

    rn!.failNext('rerouteEngagement', 500, { times: 10 });
    const failed = await bridge().admin(`/admin/conversations/${id}/hand-back`, {});
    expect(failed.status).toBe(502);
    expect(failed.body.error).toBe('hand_back_failed');
    rn!.clearFailures();
    // Still bridged: the customer's next message reaches LivePerson.
    rn!.customerSays(engagement, 'still there?');
    const conv = onlyConversation(lp!);
    await eventually(() => expect(consumerEvents(lp!, conv).map(([, text]) => text)).toEqual(['hi', 'still there?']));
    expect((await bridge().admin(`/admin/conversations/${id}/hand-back`, {})).status).toBe(202);
    expect(rn!.rerouted).toEqual([Number(engagement)]);
  });
});

describe.each(STORE_MODES)('hand-back to eGain\'s own agents (%s store)', (store) => {
  const bridge = bridgePerTest({ store, tenants: [{ id: 'beta', customer: 'egain', agent: 'liveperson' }] });

  it('when an admin hands a live conversation back, then eGain gets queue.transfer with the summary and LivePerson ends', async () => {
    const { egain: eg, liveperson: lp } = bridge().tenant('beta');
    const chat = eg!.openConversation(CUSTOMER_CHANNEL, 'customer-1', { firstName: 'Ines' });
    await eg!.customerSays(chat, 'Necesito ayuda');
    await eventually(() => void onlyConversation(lp!));
    const conv = onlyConversation(lp!);
    const id = (await bridge().service.bridge.store.resolveConversation('beta', 'egain', chat))!.id;

    expect((await bridge().admin(`/admin/conversations/${id}/hand-back`, {})).status).toBe(202);
    const transfers = eg!.messages.filter((m) => m.message.type.value === 'queue.transfer');
    expect(transfers).toHaveLength(1);
    const transfer = transfers[0]!;
    expect(transfer.message).toMatchObject({ type: { value: 'queue.transfer' }, sender: { type: 'custom_agent' } });
    expect(transfer.metadata.attributes).toEqual([
      { name: 'chatbridgeConversationId', value: id },
      { name: 'chatbridgeSummary', value: 'Conversation so far (last 1 of 1 messages):\nCustomer: Necesito ayuda' },
    ]);
    expect(eg!.state.conversations.get(chat)!.transferredBy).toBe('queue.transfer');
    // No text went to the customer.
    expect(eg!.messages.map((m) => m.message.type.value)).not.toContain('text');
    await eventually(() => expect(lp!.conversations.get(conv)!.state).toBe('CLOSE'));
    expect(eg!.rejections).toEqual([]);
  });
});
