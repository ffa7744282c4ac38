import { attachmentRefusalNotice, checkAttachment } from '../../../adapters/egain/index.js';
import { startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { RetryableError } from '../../../src/errors.js';
import { CHANNEL, CHANNEL_TYPE, connectorFor, contextFor, egainConfig, event, startFileServer } from './helpers.js';

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
    const { connector, runtime } = connectorFor(egainConfig(sim, { clientId: 'cust', clientSecret: 'cust-secret' }));
    const ctx = await contextFor(runtime, 'agent', undefined, attrs);
    return { connector, ctx };
  };
  const attachment = (name: string, path: string, size: number) => ({ name, contentType: 'image/png', size, url: `${files.url}${path}` });

  it('when the attachment is allowed, then it is uploaded before its URL expires and the message points at the asset', async () => {
    const { connector, ctx } = await setup();
    const result = await connector.send(event({ kind: 'message', text: 'see photo', attachments: [attachment('photo.png', '/photo.png', png.length)] }), ctx);
    expect(result.status).toBe('sent');
    const [asset] = sim.assets;
    expect(asset).toMatchObject({ name: 'photo.png', size: png.length, channelType: CHANNEL_TYPE, senderType: 'customer', contentType: 'image/png' });
    expect(asset!.bytes!.equals(png)).toBe(true);
    expect(sim.messages[0]!.message.content).toEqual({ text: 'see photo', attachments: { attachment: [{ id: asset!.id }] } });
  });

  it('when a file has no download address, then it is named in the text and only the fetchable one is uploaded', async () => {
    const { connector, ctx } = await setup();
    const hosted = { name: 'scan.png', contentType: 'image/png', size: 500 };
    const result = await connector.send(event({ kind: 'message', text: 'two files', attachments: [hosted, attachment('photo.png', '/photo.png', png.length)] }), ctx);
    expect(result.status).toBe('sent');
    expect(sim.assets.map((a) => a.name)).toEqual(['photo.png']);
    expect(sim.messages[0]!.message.content).toEqual({
      text: 'two files\nscan.png: (not downloadable)',
      attachments: { attachment: [{ id: sim.assets[0]!.id }] },
    });
  });

  it('when the extension is blocked, then nothing is sent and the sender is told in their language', async () => {
    const { connector, ctx } = await setup({ 'egain.language': 'fr-FR' });
    const result = await connector.send(event({ kind: 'message', text: 'x', attachments: [attachment('tool.EXE', '/photo.png', 10)] }), ctx);
    expect(result).toEqual({ status: 'dropped', reason: 'msg_hub_blocked_file_extension', notice: "Le type de fichier 'exe' n'est pas autorisé." });
    expect(sim.assets).toHaveLength(0);
    expect(sim.messages).toHaveLength(0);
  });

  it('when the file is over the size limit and the language has no texts, then the en-US text says the limit', async () => {
    const { connector, ctx } = await setup({ 'egain.language': 'de-DE' });
    const result = await connector.send(event({ kind: 'message', text: '', attachments: [attachment('big.png', '/big.png', big.length)] }), ctx);
    expect(result).toEqual({
      status: 'dropped',
      reason: 'msg_hub_attachment_size_exceeds_limit',
      notice: 'File could not be sent. It exceeded the maximum limit of 1000 bytes',
    });
    expect(sim.messages).toHaveLength(0);
  });

  it('when the signed upload URL is already expired, then the bridge asks again, and fails retryably without uploading', async () => {
    sim.setAssetUploadTtl(0);
    const { connector, ctx } = await setup();
    const err = await connector
      .send(event({ kind: 'message', text: '', attachments: [attachment('photo.png', '/photo.png', png.length)] }), ctx)
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
    expect(checkAttachment(outbound, { name: 'a.pdf', size: 1 })).toEqual({ code: 'msg_hub_blocked_file_extension', argument: 'pdf' });
    expect(checkAttachment(outbound, { name: 'a.txt', size: 1 })).toBeUndefined();
  });

  it('when attachments are not a channel feature, then every file is refused', () => {
    expect(checkAttachment({ features: ['typing_events'] }, { name: 'a.txt', size: 1 })).toMatchObject({ code: 'msg_hub_blocked_file_extension' });
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
