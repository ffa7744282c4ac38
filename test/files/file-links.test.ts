import { InboundError, PermanentError, RetryableError } from '../../src/errors.js';
import { FileLinks } from '../../src/files/file-links.js';
import { withFreshFiles } from '../../src/files/fresh-files.js';
import type { ConversationEvent } from '../../src/model/events.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Connector, ResolvedFile } from '../../src/ports/adapter.js';

const SECRET = 'unit-file-link-secret-0123456789abcdef';
const REF = { platform: 'egain', nativeId: 'asset-7' };

function refusal(read: () => unknown): { status: number; code: string } | undefined {
  try {
    read();
    return undefined;
  } catch (err) {
    if (!(err instanceof InboundError)) throw err;
    return { status: err.status, code: err.code };
  }
}

const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);

describe('FileLinks', () => {
  it('when a link is read back under its tenant before it expires, then it names its file; at its expiry it is 410', () => {
    let now = 1_700_000_000_000;
    const links = new FileLinks({ secret: SECRET, ttlSeconds: 3600, publicUrl: 'https://bridge.example.com/' }, () => now);
    const link = links.link('acme', REF)!;
    expect(link).toMatch(/^https:\/\/bridge\.example\.com\/files\/acme\/[\w-]+\.[\w-]{43}$/);
    expect(links.read('acme', tokenOf(link))).toEqual(REF);
    now += 3599_000;
    expect(links.read('acme', tokenOf(link))).toEqual(REF);
    now += 1000;
    expect(refusal(() => links.read('acme', tokenOf(link)))).toEqual({ status: 410, code: 'link_expired' });
  });

  it('when a token is read under another tenant, tampered with or malformed, then it is 403 invalid_link', () => {
    const links = new FileLinks({ secret: SECRET, ttlSeconds: 3600, publicUrl: 'https://bridge.example.com' });
    const token = tokenOf(links.link('acme', REF)!);
    const [payload, mac] = token.split('.') as [string, string];
    const swapped = Buffer.from(JSON.stringify({ p: 'egain', a: 'asset-8', e: 9_999_999_999 })).toString('base64url');
    for (const bad of [`${swapped}.${mac}`, `${payload}.${mac.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, payload, `${payload}.${mac}.x`, '', 'a'.repeat(2000)]) {
      expect(refusal(() => links.read('acme', bad))).toEqual({ status: 403, code: 'invalid_link' });
    }
    expect(refusal(() => links.read('globex', token))).toEqual({ status: 403, code: 'invalid_link' });
  });

  it('when no secret is configured, then each process signs with its own key (links die on restart)', () => {
    const first = new FileLinks({ ttlSeconds: 3600, publicUrl: 'https://bridge.example.com' });
    const restarted = new FileLinks({ ttlSeconds: 3600, publicUrl: 'https://bridge.example.com' });
    expect(first.ephemeral).toBe(true);
    const token = tokenOf(first.link('acme', REF)!);
    expect(first.read('acme', token)).toEqual(REF);
    expect(refusal(() => restarted.read('acme', token))).toEqual({ status: 403, code: 'invalid_link' });
  });

  it('when no publicUrl is configured, then links appear once the listening address is known, and a publicUrl wins over it', () => {
    const local = new FileLinks({ secret: SECRET, ttlSeconds: 60 });
    expect(local.link('acme', REF)).toBeUndefined();
    local.listeningAt('http://127.0.0.1:8080');
    expect(local.link('acme', REF)).toMatch(/^http:\/\/127\.0\.0\.1:8080\/files\/acme\//);
    const pub = new FileLinks({ secret: SECRET, ttlSeconds: 60, publicUrl: 'https://chat.example.com/bridge' });
    pub.listeningAt('http://127.0.0.1:8080');
    expect(pub.link('acme', REF)).toMatch(/^https:\/\/chat\.example\.com\/bridge\/files\/acme\//);
  });
});

describe('withFreshFiles (delivery-time resolution)', () => {
  const logger = createLogger({ silent: true });
  const links = new FileLinks({ secret: SECRET, ttlSeconds: 60, publicUrl: 'https://bridge.example.com' });
  const message = (attachments: object[]): ConversationEvent =>
    ({
      kind: 'message',
      id: 'egain:c1:m1',
      tenant: 'acme',
      conversationId: 'conv-1',
      origin: { platform: 'egain', conversationId: 'c1', messageId: 'm1' },
      sender: { role: 'agent' },
      timestamp: new Date().toISOString(),
      text: 'see files',
      richText: false,
      attachments,
    }) as ConversationEvent;
  const origin = (resolve: (id: string) => Promise<ResolvedFile>): Connector => ({
    platform: 'egain',
    outbound: {},
    resolveFile: resolve,
  });
  const placeholder = { name: 'asset-7', contentType: 'application/octet-stream', size: 0, nativeId: 'asset-7' };

  it('when the origin resolves the file, then the attachment gets its details, a fresh url and a bridge link', async () => {
    const fresh = { url: 'https://storage.example.com/dl?sig=new', name: 'scan.png', contentType: 'image/png', size: 42 };
    const out = await withFreshFiles(message([placeholder, { name: 'other.txt', contentType: 'text/plain', size: 3 }]), origin(async () => fresh), links, logger);
    expect(out.kind === 'message' && out.attachments).toEqual([
      { ...fresh, nativeId: 'asset-7', link: expect.stringMatching(/^https:\/\/bridge\.example\.com\/files\/acme\//) },
      { name: 'other.txt', contentType: 'text/plain', size: 3 },
    ]);
  });

  it('when the origin no longer has the file, then the message goes with it marked not downloadable; an outage retries', async () => {
    const gone = await withFreshFiles(message([placeholder]), origin(async () => Promise.reject(new PermanentError('egain get asset answered 404', { status: 404 }))), links, logger);
    expect(gone.kind === 'message' && gone.attachments).toEqual([{ ...placeholder, url: undefined, link: undefined }]);
    await expect(withFreshFiles(message([placeholder]), origin(async () => Promise.reject(new RetryableError('503'))), links, logger)).rejects.toBeInstanceOf(RetryableError);
  });

  it('when the origin cannot resolve files or the event has no files, then the event is passed as it is', async () => {
    const event = message([placeholder]);
    expect(await withFreshFiles(event, { platform: 'liveperson', outbound: {} }, links, logger)).toBe(event);
    expect(await withFreshFiles(event, undefined, links, logger)).toBe(event);
  });
});
