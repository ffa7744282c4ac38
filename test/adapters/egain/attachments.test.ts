import { attachmentRefusalNotice, checkAttachment } from '../../../adapters/egain/restrictions.js';
import { startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import type { DirectionRestrictions } from '../../../adapters/egain/wire.js';
import { RetryableError } from '../../../src/errors.js';
import { CHANNEL, CHANNEL_TYPE, deliveryContext, egainConfig, event, makeConnector, makeRuntime, startFileServer } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

const png = Buffer.alloc(300, 7);
const big = Buffer.alloc(2000, 1);

describe('eGain attachments through the Asset API and the channel attachment policy', () => {
  let sim: EgainSimulator;
  let files: Awaited<ReturnType<typeof startFileServer>>;
  beforeEach(async () => {
    sim = await startEgainSimulator({
      channels: [CHANNEL],
      clients: [{ clientId: 'cust', clientSecret: 'cust-secret', type: 'customer', scopes: ['app.conversation.conversationmgr.interaction.manage'] }],
    });
    files = await startFileServer({
      '/photo.png': { bytes: png, contentType: 'image/png' },
      '/big.png': { bytes: big, contentType: 'image/png' },
    });
  });
  afterEach(async () => {
    await sim.close();
    await files.close();
  });

  // eGain is the agent side: the customer's files go through the channel's inbound policy (block exe/bat, 1000 bytes).
  const setup = async (attrs: Record<string, string> = {}) => {
    const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim, { clientId: 'cust', clientSecret: 'cust-secret' }), runtime);
    const ctx = await deliveryContext(runtime, 'agent', undefined, attrs);
    return { connector, ctx };
  };
  const attachment = (name: string, path: string, size: number) => ({ name, contentType: 'image/png', size, url: `${files.url}${path}` });

  it('when the attachment is allowed, then it is uploaded before its URL expires and the message points at the asset', async () => {
    const { connector, ctx } = await setup();
    const result = await sendEvent(connector.outbound, event({ kind: 'message', text: 'see photo', attachments: [attachment('photo.png', '/photo.png', png.length)] }), ctx);
    expect(result.status).toBe('sent');
    const [asset] = sim.assets;
    expect(asset).toMatchObject({ name: 'photo.png', size: png.length, channelType: CHANNEL_TYPE, senderType: 'customer', contentType: 'image/png' });
    expect(asset!.bytes!.equals(png)).toBe(true);
    expect(sim.messages[0]!.message.content).toEqual({ text: 'see photo', attachments: { attachment: [{ id: asset!.id }] } });
  });

  it('when a file has no download address, then it is named in the text and only the fetchable one is uploaded', async () => {
    const { connector, ctx } = await setup();
    const hosted = { name: 'scan.png', contentType: 'image/png', size: 500 };
    const result = await sendEvent(connector.outbound, event({ kind: 'message', text: 'two files', attachments: [hosted, attachment('photo.png', '/photo.png', png.length)] }), ctx);
    expect(result.status).toBe('sent');
    expect(sim.assets.map((a) => a.name)).toEqual(['photo.png']);
    expect(sim.messages[0]!.message.content).toEqual({
      text: 'two files\nscan.png: (not downloadable)',
      attachments: { attachment: [{ id: sim.assets[0]!.id }] },
    });
  });

  it('when a file with a text is refused, then the text is delivered, only the file is left out, and the sender is told why in their language', async () => {
    const { connector, ctx } = await setup({ 'egain.language': 'fr-FR' });
    const result = await sendEvent(connector.outbound, event({ kind: 'message', text: 'voici', attachments: [attachment('tool.EXE', '/photo.png', 10)] }), ctx);
    expect(result).toEqual({
      status: 'sent',
      nativeMessageIds: [sim.messages[0]!.message.id],
      refused: { reason: 'file-type-refused', detail: 'msg_hub_blocked_file_extension', notice: "Le type de fichier 'exe' n'est pas autorisé." },
    });
    expect(sim.messages.map((m) => m.message.content)).toEqual([{ text: 'voici' }]);
    expect(sim.assets).toHaveLength(0);
  });

  it('when one file is refused for its size and another for its extension, then the allowed one still goes and each reason has its own text', async () => {
    const { connector, ctx } = await setup();
    const files = [attachment('big.png', '/big.png', big.length), attachment('run.bat', '/photo.png', 10), attachment('photo.png', '/photo.png', png.length)];
    const result = await sendEvent(connector.outbound, event({ kind: 'message', text: '', attachments: files }), ctx);
    expect(result).toMatchObject({
      status: 'sent',
      refused: {
        reason: 'file-too-large',
        detail: 'msg_hub_attachment_size_exceeds_limit, msg_hub_blocked_file_extension',
        notice: "File could not be sent. It exceeded the maximum limit of 1000 bytes\nAttachment file type 'bat' is not allowed.",
      },
    });
    expect(sim.assets.map((a) => a.name)).toEqual(['photo.png']);
    expect(sim.messages[0]!.message.content).toEqual({ attachments: { attachment: [{ id: sim.assets[0]!.id }] } });
  });

  it('when a file declared small turns out over the limit once downloaded, then it is refused for its size and the text still goes', async () => {
    const { connector, ctx } = await setup();
    const result = await sendEvent(connector.outbound, event({ kind: 'message', text: 'petit fichier', attachments: [attachment('big.png', '/big.png', 10)] }), ctx);
    expect(result).toMatchObject({ status: 'sent', refused: { reason: 'file-too-large' } });
    expect(sim.messages.map((m) => m.message.content)).toEqual([{ text: 'petit fichier' }]);
    expect(sim.assets).toHaveLength(0);
  });

  it('when the channel takes no attachments at all, then the notice is the unsupported-content text, not the blocked-extension one', async () => {
    const noFiles = { ...CHANNEL.restrictions!.inbound!, attachmentPolicy: { enabled: false } };
    const runtime = makeRuntime();
    const connector = makeConnector(
      egainConfig(sim, { clientId: 'cust', clientSecret: 'cust-secret', channel: { ...CHANNEL, restrictions: { inbound: noFiles } } }),
      runtime,
    );
    const ctx = await deliveryContext(runtime, 'agent', undefined, { 'egain.language': 'fr-FR' });
    const result = await sendEvent(connector.outbound, event({ kind: 'message', text: '', attachments: [attachment('photo.png', '/photo.png', png.length)] }), ctx);
    expect(result).toEqual({
      status: 'dropped',
      reason: 'files-not-accepted',
      detail: 'msg_hub_invalid_content_type_to_customer',
      notice: "Ce type de contenu n'est pas pris en charge.",
    });
    expect(sim.messages).toHaveLength(0);
  });

  it('when the file is over the size limit and the language has no texts, then the en-US text says the limit', async () => {
    const { connector, ctx } = await setup({ 'egain.language': 'de-DE' });
    const result = await sendEvent(connector.outbound, event({ kind: 'message', text: '', attachments: [attachment('big.png', '/big.png', big.length)] }), ctx);
    expect(result).toEqual({
      status: 'dropped',
      reason: 'file-too-large',
      detail: 'msg_hub_attachment_size_exceeds_limit',
      notice: 'File could not be sent. It exceeded the maximum limit of 1000 bytes',
    });
    expect(sim.messages).toHaveLength(0);
  });

  it('when the signed upload URL is already expired, then the bridge asks again, and fails retryably without uploading', async () => {
    sim.setAssetUploadTtl(0);
    const { connector, ctx } = await setup();
    const err = await sendEvent(connector.outbound, event({ kind: 'message', text: '', attachments: [attachment('photo.png', '/photo.png', png.length)] }), ctx)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect(sim.assets).toHaveLength(2);
    expect(sim.assets.every((a) => a.bytes === undefined)).toBe(true);
    expect(sim.messages).toHaveLength(0);
  });
});

describe('attachment policy and localized notice (pure)', () => {
  const l10n = CHANNEL.l10nProperties;
  const outbound = CHANNEL.restrictions!.outbound;

  it('when an allow-list does not name the extension, then it is blocked with that extension', () => {
    expect(checkAttachment(outbound, { name: 'a.pdf', size: 1 }, 'agent')).toEqual({ code: 'msg_hub_blocked_file_extension', argument: 'pdf' });
    expect(checkAttachment(outbound, { name: 'a.txt', size: 1 }, 'agent')).toBeUndefined();
  });

  it.each<[string, DirectionRestrictions, 'customer' | 'agent', string]>([
    ['attachments are not a channel feature', { features: ['typing_events'] }, 'customer', 'msg_hub_invalid_content_type_to_customer'],
    ['the attachment policy is disabled', { attachmentPolicy: { enabled: false } }, 'agent', 'msg_hub_invalid_content_type_to_agent'],
    ['a block list names the extension', { attachmentPolicy: { enabled: true, type: 'block', extensions: ['TXT'] } }, 'agent', 'msg_hub_blocked_file_extension'],
    ['the file is over maxSize', { attachmentPolicy: { enabled: true, maxSize: 10 } }, 'agent', 'msg_hub_attachment_size_exceeds_limit'],
  ])('when %s, then the refusal names that reason', (_why, restrictions, noticeTo, code) => {
    expect(checkAttachment(restrictions, { name: 'a.txt', size: 11 }, noticeTo)?.code).toBe(code);
  });

  it('when the channel has no text for a reason, then the en-US fallback is eGain sample text for that reason', () => {
    expect(attachmentRefusalNotice(undefined, { code: 'msg_hub_invalid_content_type_to_agent', argument: 'png' }, 'en-US')).toBe(
      'This content type is not currently supported.',
    );
  });

  it('when the language matches only by its primary subtag, then that language is used', () => {
    expect(attachmentRefusalNotice(l10n, { code: 'msg_hub_blocked_file_extension', argument: 'exe' }, 'fr-CA')).toBe(
      "Le type de fichier 'exe' n'est pas autorisé.",
    );
  });

  it('when the channel has no l10nProperties, then eGain default English text is used', () => {
    expect(attachmentRefusalNotice(undefined, { code: 'msg_hub_attachment_size_exceeds_limit', argument: '2 MB' }, 'ja-JP')).toBe(
      'File could not be sent. It exceeded the maximum limit of 2 MB',
    );
  });
});
