import { TokenCache } from '../../src/auth/token-cache.js';
import { tokenExpiresAt } from '../../src/auth/token-expiry.js';
import { AuthExpiredError, PermanentError } from '../../src/errors.js';
import {
  type CallDescription,
  createVendorHttp,
  parseReply,
  vendorCall,
  type VendorHttp,
  type VendorHttpFactory,
  type VendorRequest,
  type VendorResponse,
} from '../../src/vendor-http/vendor-client.js';
import type { EgainConfig } from './config.js';
import { EGAIN_ERRORS } from './errors.js';
import { AssetCreateResponse, AssetInfo, type ChannelBody, ChannelList, MAX_ASSET_SIZE, type ClientType, SendResponse, TokenResponse } from './wire.js';
import { type AssetCreateRequest, type SendRequest, UPLOAD_METHOD } from './wire-requests.js';

function describe(operation: string): CallDescription {
  return { ...EGAIN_ERRORS, operation };
}

/**
 * eGain's HTTP API for one tenant's client application: an OAuth2 client-credentials token per scope
 * (cached, single-flight), and the Conversation, Asset and Channel calls. A 401 reaches the caller as
 * AuthExpiredError, its token noted as refused: the one retry with a fresh token is the core's
 * (`refreshAuth`, src/auth/auth-refresh.ts), never made here as well.
 */
export class EgainApi {
  private readonly http: VendorHttp;
  private readonly tokens = new Map<string, TokenCache<string>>();
  private readonly refused = new Set<string>();

  /** `httpFor` is the runtime's client factory in a running bridge (connector health), a plain one in a CLI command. */
  constructor(
    private readonly config: EgainConfig,
    httpFor: VendorHttpFactory = createVendorHttp,
  ) {
    this.http = httpFor({ baseURL: config.apiBaseUrl.replace(/\/+$/, ''), timeoutMs: config.timeoutMs });
  }

  private cache(scope: string): TokenCache<string> {
    let cache = this.tokens.get(scope);
    if (!cache) {
      cache = new TokenCache(() => this.fetchToken(scope), { refreshMarginMs: this.config.tokenRefreshMarginMs });
      this.tokens.set(scope, cache);
    }
    return cache;
  }

  /** Asks for a token with `scope` (never cached) and answers the scopes eGain granted: what `check` shows. */
  async grantedScopes(scope: string): Promise<string[]> {
    const { granted } = await this.fetchToken(scope);
    return granted;
  }

  private async fetchToken(scope: string): Promise<{ value: string; expiresAt: number; granted: string[] }> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
    });
    const res = await vendorCall(
      this.http,
      {
        method: 'POST',
        url: this.config.tokenUrl,
        data: form.toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      },
      // A refused client secret is a configuration problem, not an expired credential.
      { ...describe('token'), authStatuses: [] },
    );
    const token = parseReply(TokenResponse, res, describe('token'));
    return {
      value: token.access_token,
      expiresAt: tokenExpiresAt(token.access_token, token.expires_in, this.config.tokenDefaultTtlSeconds * 1000),
      // RFC 6749 5.1: a reply without `scope` granted what was asked.
      granted: (token.scope ?? scope).split(/\s+/).filter(Boolean),
    };
  }

  /**
   * Drops the tokens the Hub refused (the core's refreshAuth), each only while it is still the cached
   * one: however many sends a token failed, after their refreshes one new token is fetched.
   */
  refreshAuth(): void {
    for (const cache of this.tokens.values()) for (const token of this.refused) cache.invalidate(token);
    this.refused.clear();
  }

  private async authorized<T>(scope: string, request: VendorRequest, op: string): Promise<VendorResponse<T>> {
    const token = await this.cache(scope).get();
    const headers = { ...(request.headers as Record<string, string>), Authorization: `Bearer ${token}` };
    try {
      return await vendorCall<T>(this.http, { ...request, headers }, describe(op));
    } catch (err) {
      if (err instanceof AuthExpiredError) this.refused.add(token);
      throw err;
    }
  }

  async sendMessages(body: SendRequest): Promise<{ ids: (string | undefined)[]; conversationId?: string }> {
    const res = await this.authorized(this.config.scope, { method: 'POST', url: '/conversations/messages', data: body }, 'send message');
    const reply = parseReply(SendResponse, res, describe('send message'));
    const list = reply.messages?.message ?? [];
    return { ids: list.map((m) => m.id), conversationId: list.find((m) => m.conversation)?.conversation?.id };
  }

  async createAsset(input: { channelType: string; senderType: ClientType; name: string; size: number }) {
    const data: AssetCreateRequest = { channel: { type: input.channelType }, sender: { type: input.senderType }, name: input.name, size: input.size };
    const res = await this.authorized(this.config.scope, { method: 'POST', url: '/assets', data }, 'create asset');
    return parseReply(AssetCreateResponse, res, describe('create asset'));
  }

  /** The signed URL carries its own authorization: no bearer token goes to the storage host. */
  async uploadAsset(contentUrl: string, bytes: Buffer, contentType: string): Promise<void> {
    await vendorCall(
      this.http,
      { method: UPLOAD_METHOD, url: contentUrl, data: bytes, headers: { 'Content-Type': contentType } },
      { ...describe('upload asset'), authStatuses: [] },
    );
  }

  async getAsset(id: string) {
    const res = await this.authorized(this.config.scope, { method: 'GET', url: `/assets/${encodeURIComponent(id)}` }, 'get asset');
    return parseReply(AssetInfo, res, describe('get asset'));
  }

  /** Fetches bytes from a URL another platform handed us (signed, short-lived). */
  async download(url: string): Promise<{ bytes: Buffer; contentType?: string }> {
    const res = await vendorCall<ArrayBuffer>(
      this.http,
      // Nothing above eGain's asset limit is worth holding in memory.
      { method: 'GET', url, responseType: 'arraybuffer', maxContentLength: MAX_ASSET_SIZE },
      { ...describe('download attachment'), authStatuses: [] },
    );
    const type = res.headers['content-type'];
    return { bytes: Buffer.from(res.data), contentType: typeof type === 'string' ? type : undefined };
  }

  /** GET /channels takes the manage or the read scope (seed); the sending path asks with read. */
  async listChannels(scope: string = this.config.manageScope) {
    const res = await this.authorized(scope, { method: 'GET', url: '/channels' }, 'list channels');
    return parseReply(ChannelList, res, describe('list channels')).channel ?? [];
  }

  async createChannel(body: ChannelBody): Promise<string> {
    const res = await this.authorized(this.config.manageScope, { method: 'POST', url: '/channels', data: body }, 'create channel');
    const id = (res.data as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') throw new PermanentError('egain create channel: no id in the reply', { status: res.status });
    return id;
  }

  async updateChannel(id: string, body: ChannelBody): Promise<void> {
    await this.authorized(this.config.manageScope, { method: 'PUT', url: `/channels/${encodeURIComponent(id)}`, data: body }, 'update channel');
  }
}
