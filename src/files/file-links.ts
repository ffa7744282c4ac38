import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FileLinksConfig } from '../config/schema.js';
import { InboundError } from '../errors.js';
import { PlatformName } from '../model/events.js';

/** A file as the platform that holds it names it. */
export interface FileRef {
  platform: string;
  nativeId: string;
}

const MAC_BYTES = 32;
/** A platform name, a 256-character id and an expiry fit well inside this once encoded. */
const MAX_TOKEN_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const Payload = z.strictObject({ p: PlatformName, a: z.string().min(1).max(256), e: z.number().int().positive() });

const invalid = () => new InboundError(403, 'invalid_link', 'this file link is not valid');

/**
 * The bridge's own links to files a vendor keeps behind signed URLs that expire within the hour
 * (eGain's `contentUrlExpiry`): the link names the file, not a URL, and every click asks the vendor for a
 * fresh one. A token is `<payload>.<mac>`: base64url JSON `{p: platform, a: file id, e: expiry (unix
 * seconds)}`, and base64url HMAC-SHA256 over the tenant and the payload, so a token opens only under its
 * own tenant's path, only until it expires, and cannot be made without the key.
 */
export class FileLinks {
  private readonly key: Buffer;
  private base: string | undefined;
  /** True when no secret is configured: the key is this process's own, and its links die with it. */
  readonly ephemeral: boolean;

  constructor(
    private readonly config: z.infer<typeof FileLinksConfig>,
    private readonly now: () => number = Date.now,
  ) {
    this.ephemeral = config.secret === undefined;
    this.key = config.secret === undefined ? randomBytes(MAC_BYTES) : Buffer.from(config.secret, 'utf8');
    this.base = config.publicUrl?.replace(/\/+$/, '');
  }

  /** Where links point when no `publicUrl` is configured: the address the service listens on. */
  listeningAt(url: string): void {
    if (this.config.publicUrl === undefined) this.base = url.replace(/\/+$/, '');
  }

  /** A link to the file, valid for `ttlSeconds` from now; undefined until the bridge knows its own address. */
  link(tenant: string, ref: FileRef): string | undefined {
    if (this.base === undefined) return undefined;
    const expiry = Math.floor(this.now() / 1000) + this.config.ttlSeconds;
    const payload = Buffer.from(JSON.stringify({ p: ref.platform, a: ref.nativeId, e: expiry })).toString('base64url');
    return `${this.base}/files/${encodeURIComponent(tenant)}/${payload}.${this.mac(tenant, payload).toString('base64url')}`;
  }

  /** The file a token names under this tenant; an InboundError (403 forged or foreign, 410 expired) otherwise. */
  read(tenant: string, token: string): FileRef {
    const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
    const [payload, mac] = parts;
    if (parts.length !== 2 || !payload || !mac || !BASE64URL.test(payload) || !BASE64URL.test(mac)) throw invalid();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(tenant, payload))) throw invalid();
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    const parsed = Payload.safeParse(decoded);
    if (!parsed.success) throw invalid();
    if (parsed.data.e * 1000 <= this.now()) throw new InboundError(410, 'link_expired', 'this file link has expired');
    return { platform: parsed.data.p, nativeId: parsed.data.a };
  }

  private mac(tenant: string, payload: string): Buffer {
    return createHmac('sha256', this.key).update(`chatbridge-file-link\0${tenant}\0${payload}`).digest();
  }
}
