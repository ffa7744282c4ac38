import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { ConsumerRequestConversation, PublishedEvent, SendRequest, SetUserProfile } from './schemas.js';
import { type RecordedEvent, reject, type SimConversation, type SimState } from './state.js';
import type { SimulatedTokens } from './tokens.js';

const MAX_FILE_BYTES = 3 * 1024 * 1024;

export interface MessagingOptions {
  fileSharing: boolean;
  /** "OK" (REST docs) or 200 (the websocket form): both appear in LivePerson replies. */
  replyCode: 'OK' | 200;
  onConsumerEvent(conv: SimConversation, event: RecordedEvent): void;
  /** The consumer opened or closed a conversation. */
  onConversationChange(conv: SimConversation): void;
  /** While set, SEND answers this status (an outage of LivePerson's messaging service). */
  sendOutage(): number | undefined;
}

/** CONVERSATION, SEND and the swift upload, each refusing what the Connector API documents it refuses. */
export function messagingRoutes(state: SimState, tokens: SimulatedTokens, options: MessagingOptions): Router {
  const router = express.Router();
  const base = '/api/account/:account/messaging/consumer/conversation';
  const uploadKey = randomBytes(16);

  /** Headers and path shared by CONVERSATION and SEND; resolves the consumer or answers the refusal. */
  async function consumerOf(req: Request, res: Response, ep: string): Promise<string | undefined> {
    if (req.params.account !== state.accountId) return void reject(state, res, ep, 400, 'unknown account', 40001);
    if (req.query.v !== '3') return void reject(state, res, ep, 400, 'v=3 is required', 40001);
    const auth = req.get('authorization');
    if (!auth) return void reject(state, res, ep, 401, 'AppJWT is missing', 40105);
    // UNKNOWN whether LivePerson tolerates "Bearer "; its samples send the raw token, so that is all we accept.
    if (!(await tokens.appJwtValid(auth))) return void reject(state, res, ep, 401, 'AppJWT is expired or invalid', 40102);
    const jws = req.get('x-lp-on-behalf');
    if (!jws) return void reject(state, res, ep, 401, 'ConsumerJWS is missing', 40104);
    const consumer = await tokens.consumerOf(jws);
    if (!consumer) return void reject(state, res, ep, 401, 'ConsumerJWS is invalid', 40103);
    if (!req.is('application/json')) return void reject(state, res, ep, 400, 'application/json body expected', 40001);
    return consumer;
  }

  function ownConversation(res: Response, ep: string, consumer: string, id: string): SimConversation | undefined {
    const conv = state.conversations.get(id);
    if (!conv) return void reject(state, res, ep, 400, `unknown dialog ${id}`);
    if (conv.consumerId !== consumer) return void reject(state, res, ep, 401, 'the consumer is not part of this conversation');
    // UNKNOWN: the error LivePerson gives for SEND on a closed conversation.
    if (conv.state !== 'OPEN') return void reject(state, res, ep, 400, 'the conversation is closed');
    return conv;
  }

  router.post(base, express.json(), async (req, res) => {
    const ep = 'CONVERSATION';
    const consumer = await consumerOf(req, res, ep);
    if (!consumer) return;
    const items = req.body as unknown;
    if (!Array.isArray(items) || items.length !== 2) {
      return reject(state, res, ep, 400, 'body must be an array: SetUserProfile then ConsumerRequestConversation');
    }
    const profile = SetUserProfile.safeParse(items[0]);
    if (!profile.success) return reject(state, res, ep, 400, `item 0 must be userprofile.SetUserProfile: ${profile.error.message}`);
    const request = ConsumerRequestConversation.safeParse(items[1]);
    if (!request.success) return reject(state, res, ep, 400, `item 1 must be cm.ConsumerRequestConversation: ${request.error.message}`);
    if (request.data.body.brandId !== state.accountId) return reject(state, res, ep, 400, 'brandId is not this account', 40001);
    const open = [...state.conversations.values()].find((c) => c.consumerId === consumer && c.state === 'OPEN');
    // UNKNOWN: the exact refusal of a second open conversation for one consumer.
    if (open) return reject(state, res, ep, 400, 'the consumer already has an open conversation');
    const now = Date.now();
    const conv: SimConversation = {
      id: randomUUID(),
      consumerId: consumer,
      state: 'OPEN',
      brandId: request.data.body.brandId,
      skillId: request.data.body.skillId,
      campaignInfo: request.data.body.campaignInfo,
      profiles: [profile.data.body],
      events: [],
      nextSequence: 0,
      startTs: now,
      metaDataLastUpdateTs: now,
    };
    state.conversations.set(conv.id, conv);
    res.json([
      { code: options.replyCode, body: { msg: 'OK User Profile set successfully' }, reqId: profile.data.id },
      { code: options.replyCode, body: { conversationId: conv.id }, reqId: request.data.id },
    ]);
    options.onConversationChange(conv);
  });

  router.post(`${base}/send`, express.json(), async (req, res) => {
    const ep = 'SEND';
    const outage = options.sendOutage();
    if (outage !== undefined) return reject(state, res, ep, outage, 'service unavailable');
    const consumer = await consumerOf(req, res, ep);
    if (!consumer) return;
    const parsed = SendRequest.safeParse(req.body);
    if (!parsed.success) return reject(state, res, ep, 400, `invalid request: ${parsed.error.message}`);
    const request = parsed.data;
    const reply = (body: Record<string, unknown>) => res.json({ reqId: String(request.id), code: options.replyCode, body });
    if (request.type === 'userprofile.SetUserProfile') {
      const conv = [...state.conversations.values()].find((c) => c.consumerId === consumer && c.state === 'OPEN');
      conv?.profiles.push(request.body);
      return reply({ msg: 'OK User Profile set successfully' });
    }
    if (request.type === 'ms.GenerateURLForUploadFile') {
      if (!options.fileSharing) return reject(state, res, ep, 400, 'file sharing is disabled for this account');
      if (Number(request.body.fileSize) > MAX_FILE_BYTES) return reject(state, res, ep, 400, 'file too big');
      const relativePath = `/v1/AUTH_async-images/${state.accountId}/${randomUUID()}.${request.body.fileType.toLowerCase()}`;
      const expires = Math.floor(Date.now() / 1000) + 60;
      const sig = createHmac('sha1', uploadKey).update(`${relativePath}${expires}`).digest('hex');
      state.uploads.set(relativePath, { bytes: 0, sig, expires, done: false });
      return reply({ relativePath, queryParams: { temp_url_sig: sig, temp_url_expires: String(expires) } });
    }
    const dialogId = request.type === 'ms.PublishEvent' ? request.body.dialogId : request.body.conversationId;
    const conv = ownConversation(res, ep, consumer, dialogId);
    if (!conv) return;
    if (request.type === 'cm.UpdateConversationField') {
      conv.state = 'CLOSE';
      conv.closeReason = 'CONSUMER';
      conv.endTs = Date.now();
      reply({});
      return options.onConversationChange(conv);
    }
    const event = PublishedEvent.safeParse(request.body.event);
    if (!event.success) return reject(state, res, ep, 400, `invalid event: ${event.error.message}`);
    if (event.data.type === 'ContentEvent' && event.data.contentType === 'hosted/file') {
      if (!options.fileSharing) return reject(state, res, ep, 400, 'file sharing is disabled for this account');
      if (!state.uploads.get(event.data.message.relativePath)?.done) return reject(state, res, ep, 400, 'no file uploaded at relativePath');
    }
    const sequence = event.data.type === 'ChatStateEvent' ? 0 : conv.nextSequence++;
    const recorded: RecordedEvent = {
      sequence,
      role: 'CONSUMER',
      originatorId: consumer,
      event: event.data as Record<string, unknown>,
      serverTimestamp: Date.now(),
      audience: 'ALL',
    };
    conv.events.push(recorded);
    reply({ sequence });
    options.onConsumerEvent(conv, recorded);
  });

  router.put('/v1/AUTH_async-images/:account/:file', express.raw({ type: () => true, limit: '4mb' }), (req, res) => {
    const path = `/v1/AUTH_async-images/${req.params.account}/${req.params.file}`;
    const upload = state.uploads.get(path);
    const fresh = upload && Number(req.query.temp_url_expires) === upload.expires && upload.expires * 1000 > Date.now();
    if (!upload || !fresh || req.query.temp_url_sig !== upload.sig) return reject(state, res, 'swift', 401, 'invalid upload URL');
    const bytes = Buffer.isBuffer(req.body) ? req.body.length : 0;
    if (bytes === 0 || bytes > MAX_FILE_BYTES) return reject(state, res, 'swift', 400, 'empty or too big');
    Object.assign(upload, { bytes, done: true });
    res.status(201).end();
  });

  return router;
}
