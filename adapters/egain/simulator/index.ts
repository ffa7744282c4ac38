import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { assetRouter } from './asset-routes.js';
import { tokenRouter } from './auth-routes.js';
import { channelRouter } from './channel-routes.js';
import { messageRouter } from './message-routes.js';
import { INTERACTION_SCOPE, MANAGE_SCOPE, reject, type SimClient, type SimCustomer, SimulatorState } from './state.js';
import { type SimChannelBody, type SimClientType, SimRichMessage } from './vendor-schemas.js';

export { INTERACTION_SCOPE, MANAGE_SCOPE, READ_SCOPE, type SimClient, type SimCustomer } from './state.js';

/**
 * How the fake Hub shapes what eGain's docs leave open in a callback, so tests can play each reading.
 * `conversationIn`: the conversation block (id, account, customer) in each message (default) or in
 * the callback's `metadata`. `customerName`: the customer's name as `firstName`/`lastName` (default)
 * or as one `name`.
 */
export interface CallbackShape {
  conversationIn?: 'message' | 'metadata';
  customerName?: 'firstLast' | 'name';
}

/** What the token endpoint answers: with or without `expires_in`, an opaque token or a JWT with `exp`. */
export interface TokenReplyShape {
  expiresIn?: boolean;
  jwt?: boolean;
}

/** How the fake Hub authenticates its callbacks (as registered with eGain's Authentication API). */
export type CallbackCredentials = { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string };

export interface EgainSimulatorOptions {
  port?: number;
  /** Registered client applications; default one custom_agent app `bridge`/`bridge-secret` with both scopes. */
  clients?: SimClient[];
  channels?: (SimChannelBody & { id?: string })[];
  tokenTtlSeconds?: number;
  tokenReply?: TokenReplyShape;
  callbackShape?: CallbackShape;
  /** How long a signed upload URL stays valid. */
  assetUploadTtlMs?: number;
  /** How long a signed download URL from `GET /assets/{id}` stays valid (default one hour). */
  assetDownloadTtlMs?: number;
  /** Where `agentSays` and friends deliver (the bridge's `/webhooks/{tenant}/egain`). */
  callback?: { url: string; auth?: CallbackCredentials };
}

export interface CallbackOptions {
  id?: string;
  text?: string;
  senderType?: SimClientType;
  participant?: { id?: string; name?: string };
  attachmentIds?: string[];
  /** `content.richMessage` of a `richMessage.*` type (an agent's or bot's quick replies, list, link). */
  richMessage?: Record<string, unknown>;
  /** The customer block of this callback; default: the one the conversation was opened with. */
  customer?: SimCustomer;
}

/** A customer block in the shape `customerName` asks for. */
function customerIn(shape: CallbackShape, customer: SimCustomer): Record<string, unknown> {
  if (shape.customerName !== 'name') return { ...customer };
  const { firstName, lastName, ...rest } = customer;
  const name = [firstName, lastName].filter(Boolean).join(' ');
  return { ...(name ? { name } : {}), ...rest };
}

function authHeader(auth: CallbackCredentials | undefined): Record<string, string> {
  if (!auth) return {};
  if (auth.type === 'bearer') return { Authorization: `Bearer ${auth.token}` };
  return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

/** A strict fake of eGain Conversation Hub (Conversation Manager v3) on loopback. */
export async function startEgainSimulator(options: EgainSimulatorOptions = {}) {
  const state = new SimulatorState(
    options.clients ?? [{ clientId: 'bridge', clientSecret: 'bridge-secret', type: 'custom_agent', scopes: [INTERACTION_SCOPE, MANAGE_SCOPE] }],
  );
  for (const { id, ...body } of options.channels ?? []) state.addChannel(body, id);
  const settings = {
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    tokenReply: options.tokenReply ?? {},
    assetUploadTtlMs: options.assetUploadTtlMs ?? 60_000,
    assetDownloadTtlMs: options.assetDownloadTtlMs ?? 3600_000,
    callbackShape: options.callbackShape ?? {},
  };
  let url = '';

  const app = express();
  app.disable('x-powered-by');
  app.use((req: Request, _res: Response, next: NextFunction) => {
    state.requests.push({ method: req.method, path: req.path });
    next();
  });
  app.use(tokenRouter(state, () => settings.tokenTtlSeconds, () => settings.tokenReply));
  // Before the JSON parser: uploads carry the file's own bytes, whatever their content type.
  app.use(assetRouter(state, () => url, () => ({ uploadMs: settings.assetUploadTtlMs, downloadMs: settings.assetDownloadTtlMs })));
  app.use(express.json({ limit: '1mb' }));
  app.use(messageRouter(state));
  app.use(channelRouter(state));
  app.use((req: Request, res: Response) => reject(state, req, res, 404, 'no such resource'));
  app.use((err: { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    reject(state, req, res, err.status && err.status < 500 ? err.status : 500, err.type === 'entity.parse.failed' ? 'malformed JSON' : 'request failed');
  });

  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function postCallback(target: string, payload: unknown, auth?: CallbackCredentials) {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authHeader(auth) },
      body: JSON.stringify(payload),
    });
    const text = await res.text();
    return { status: res.status, body: text };
  }

  /** A callback body carrying one message, its conversation where `callbackShape` puts it. */
  function callbackPayload(conversationId: string, type: string, o: CallbackOptions = {}) {
    const shape = settings.callbackShape;
    const content = {
      ...(o.text !== undefined ? { text: o.text } : {}),
      ...(o.attachmentIds ? { attachments: { attachment: o.attachmentIds.map((id) => ({ id })) } } : {}),
      ...(o.richMessage ? { richMessage: SimRichMessage.parse(o.richMessage) } : {}),
    };
    const known = state.conversations.get(conversationId);
    const customer = o.customer ?? known?.customer;
    const conversation = {
      id: conversationId,
      ...(known ? { account: { address: 'sim', channel: { type: known.channelType } } } : {}),
      ...(customer ? { customer: customerIn(shape, customer) } : {}),
    };
    const inMetadata = shape.conversationIn === 'metadata';
    return {
      metadata: { attributes: [], ...(inMetadata ? { conversation } : {}) },
      messages: {
        message: [
          {
            id: o.id ?? randomUUID(),
            type: { value: type },
            ...(Object.keys(content).length > 0 ? { content } : {}),
            sender: { type: o.senderType ?? 'egain_agent', ...(o.participant ? { participant: o.participant } : {}) },
            ...(inMetadata ? {} : { conversation }),
            created: new Date(state.now()).toISOString(),
          },
        ],
      },
    };
  }

  let callback = options.callback;
  function deliver(payload: unknown) {
    if (!callback) throw new Error('the simulator has no callback URL (option callback or setCallback)');
    return postCallback(callback.url, payload, callback.auth);
  }

  return {
    url,
    state,
    /** Accepted `POST /conversations/messages` messages, in order. */
    get messages() {
      return state.messages;
    },
    get channels() {
      return [...state.channels.values()];
    },
    get assets() {
      return [...state.assets.values()];
    },
    get rejections() {
      return state.rejections;
    },
    get tokenRequests() {
      return state.tokenRequests;
    },
    /** Every request received, in order (method and path). */
    get requests() {
      return state.requests;
    },
    tokenUrl: `${url}/oauth2/token`,
    /** Makes every token issued so far expired (the next API call answers 401). */
    expireTokens(): void {
      for (const token of state.tokens.values()) token.expiresAt = 0;
    },
    /** Moves the Hub's clock: signed URLs and tokens age without waiting. */
    advanceClock(ms: number): void {
      state.clockOffsetMs += ms;
    },
    setAssetUploadTtl(ms: number): void {
      settings.assetUploadTtlMs = ms;
    },
    setAssetDownloadTtl(ms: number): void {
      settings.assetDownloadTtlMs = ms;
    },
    /** A conversation a customer opened on an eGain channel (eGain as the customer side). */
    openConversation(channelType: string, customerAddress?: string, customer?: SimCustomer): string {
      const conversation = state.openConversation(channelType, customerAddress);
      conversation.customer = customer;
      return conversation.id;
    },
    /** How later callbacks are shaped (see CallbackShape). */
    setCallbackShape(shape: CallbackShape): void {
      settings.callbackShape = shape;
    },
    /** An uploaded asset, as if a participant had attached a file; returns its id. */
    addAsset(input: { name: string; contentType: string; bytes: Buffer; channelType?: string; senderType?: SimClientType }): string {
      const asset = state.newAsset({
        name: input.name,
        size: input.bytes.length,
        channelType: input.channelType ?? 'sim',
        senderType: input.senderType ?? 'egain_agent',
        uploadExpiresAt: 0,
      });
      asset.bytes = input.bytes;
      asset.contentType = input.contentType;
      return asset.id;
    },
    /** Where the Hub delivers from now on (the bridge may start after the simulator). */
    setCallback(url: string, auth?: CallbackCredentials): void {
      callback = { url, auth };
    },
    callbackPayload,
    postCallback,
    /** The Hub posts `payload` as it is to the configured callback (a body of any shape). */
    deliver,
    /** The Hub delivers one message of `type` to the configured callback. */
    send: (conversationId: string, type: string, o: CallbackOptions = {}) => deliver(callbackPayload(conversationId, type, o)),
    agentSays: (conversationId: string, text: string, o: CallbackOptions = {}) =>
      deliver(callbackPayload(conversationId, 'text', { senderType: 'egain_agent', ...o, text })),
    customerSays: (conversationId: string, text: string, o: CallbackOptions = {}) =>
      deliver(callbackPayload(conversationId, 'text', { senderType: 'customer', ...o, text })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export type EgainSimulator = Awaited<ReturnType<typeof startEgainSimulator>>;
