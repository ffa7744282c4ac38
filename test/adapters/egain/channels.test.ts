import { INTERACTION_SCOPE, READ_SCOPE, startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { CHANNEL, deliveryContext, egainConfig, event, makeConnector, makeRuntime, startFileServer } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

const WEB_CHAT = {
  type: 'web_chat',
  displayName: 'Web chat',
  icon: 'aWNvbg==',
  restrictions: {
    outbound: {
      maxTextLength: 20,
      features: ['attachments' as const],
      attachmentPolicy: { enabled: true, maxSize: 5000, type: 'block' as const, extensions: ['png'] },
    },
  },
  l10nProperties: [{ language: 'en-US', properties: [{ name: 'msg_hub_blocked_file_extension', value: 'Web chat refuses .{0} files' }] }],
};

/** eGain as the customer side: the customer's own channel, not the tenant's custom channel, sets the limits. */
describe("eGain outbound honours the conversation's channel", () => {
  let sim: EgainSimulator;
  const start = (scopes: string[]) =>
    startEgainSimulator({ channels: [CHANNEL, WEB_CHAT], clients: [{ clientId: 'bridge', clientSecret: 'bridge-secret', type: 'custom_agent', scopes }] });
  afterEach(() => sim.close());

  /** A conversation eGain opened on web chat, made known to the bridge by a first customer callback. */
  const onWebChat = async () => {
    const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    const conversationId = sim.openConversation('web_chat', 'visitor-1');
    await connector.normalize!(sim.callbackPayload(conversationId, 'text', { text: 'hi', senderType: 'customer' }));
    return { connector, ctx: await deliveryContext(runtime, 'customer', conversationId) };
  };

  it("when a callback named the conversation's channel, then texts are split to that channel's limit", async () => {
    sim = await start([INTERACTION_SCOPE, READ_SCOPE]);
    const { connector, ctx } = await onWebChat();
    await sendEvent(connector.outbound, event({ kind: 'message', text: 'twenty-one characters!' }, 'agent'), ctx);
    await sendEvent(connector.outbound, event({ kind: 'typing', state: 'start' }, 'agent'), ctx);
    expect(sim.messages.map((m) => m.message.content?.text)).toEqual(['twenty-one ', 'characters!']);
    expect(sim.rejections).toHaveLength(0);
  });

  it("when that channel blocks the file type, then the refusal uses that channel's own text", async () => {
    sim = await start([INTERACTION_SCOPE, READ_SCOPE]);
    const files = await startFileServer({});
    try {
      const { connector, ctx } = await onWebChat();
      const result = await sendEvent(connector.outbound, 
        event({ kind: 'message', text: '', attachments: [{ name: 'a.png', contentType: 'image/png', size: 10, url: `${files.url}/a.png` }] }, 'agent'),
        ctx,
      );
      expect(result).toEqual({ status: 'dropped', reason: 'file-type-refused', detail: 'msg_hub_blocked_file_extension', notice: 'Web chat refuses .png files' });
    } finally {
      await files.close();
    }
  });

  it('when the channel cannot be read (no read scope), then the configured block applies and the read is not retried per send', async () => {
    sim = await start([INTERACTION_SCOPE]);
    const { connector, ctx } = await onWebChat();
    await sendEvent(connector.outbound, event({ kind: 'message', text: 'hello' }, 'agent'), ctx);
    await sendEvent(connector.outbound, event({ kind: 'message', text: 'short' }, 'agent'), ctx);
    expect(sim.messages.map((m) => m.message.content?.text)).toEqual(['hello', 'short']);
    // One token for sending, one refused for the read scope; none more on the second send.
    expect(sim.tokenRequests).toBe(2);
  });
});
