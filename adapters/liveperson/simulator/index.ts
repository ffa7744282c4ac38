import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { identityRoutes } from './identity-routes.js';
import { PublishedEvent } from './schemas.js';
import { messagingRoutes } from './messaging-routes.js';
import { conversationChange, messagingNotification, type Notification } from './notifications.js';
import { type LpRole, nextTs, type RecordedEvent, reject, type SimConversation, type SimState } from './state.js';
import { SimulatedTokens } from './tokens.js';

export type { Notification } from './notifications.js';
export type { RecordedEvent, Rejection, SimConversation } from './state.js';

export interface LivePersonSimulatorOptions {
  accountId?: string;
  clientId?: string;
  /** Also the webhook signing key. */
  clientSecret?: string;
  port?: number;
  appJwtTtlSeconds?: number;
  fileSharing?: boolean;
  replyCode?: 'OK' | 200;
  /** Where signed webhooks go (the bridge's /webhooks/{tenant}/liveperson). */
  webhookUrl?: string;
  /**
   * Post what LivePerson notifies about the consumer's own actions: its messages back (role CONSUMER) and
   * conversation changes when it opens or closes one. Default true.
   */
  echo?: boolean;
  /** Told of every event the consumer side published, as it is accepted (the benchmark times arrivals here). */
  onConsumerEvent?: (conversationId: string, event: RecordedEvent) => void;
}

export interface PostedWebhook {
  raw: string;
  status: number;
}

export type LivePersonSimulator = Awaited<ReturnType<typeof startLivePersonSimulator>>;

/**
 * A strict fake of LivePerson's Connector API on loopback: Domain API, sentinel, idp, CONVERSATION, SEND
 * and swift on one port (the Domain API hands out that port as every service's baseURI), plus helpers
 * that play the agent side by posting signed webhooks.
 */
export async function startLivePersonSimulator(options: LivePersonSimulatorOptions = {}) {
  const accountId = options.accountId ?? '12345678';
  const clientId = options.clientId ?? 'sim-client';
  const clientSecret = options.clientSecret ?? 'sim-secret';
  const settings: { appJwtTtlSeconds: number; webhookUrl?: string; sendOutage?: number } = {
    appJwtTtlSeconds: options.appJwtTtlSeconds ?? 3600,
    webhookUrl: options.webhookUrl,
  };
  const tokens = new SimulatedTokens(accountId, clientId);
  const state: SimState = {
    accountId,
    conversations: new Map(),
    consumersCreated: [],
    appTokensIssued: 0,
    domainLookups: {},
    rejections: [],
    uploads: new Map(),
  };
  const posted: PostedWebhook[] = [];
  const pending = new Set<Promise<unknown>>();
  let address = '';

  const app = express();
  app.use(
    identityRoutes(state, tokens, {
      clientId,
      clientSecret,
      appJwtTtlSeconds: () => settings.appJwtTtlSeconds,
      baseUri: () => address,
    }),
  );
  app.use(
    messagingRoutes(state, tokens, {
      fileSharing: options.fileSharing ?? false,
      replyCode: options.replyCode ?? 'OK',
      onConsumerEvent: (conv, event) => {
        options.onConsumerEvent?.(conv.id, event);
        if ((options.echo ?? true) && settings.webhookUrl) track(post(messagingNotification(conv, [event])));
      },
      onConversationChange: (conv) => {
        if (!(options.echo ?? true) || !settings.webhookUrl) return;
        nextTs(conv);
        track(post(conversationChange(conv, accountId)));
      },
      sendOutage: () => settings.sendOutage,
    }),
  );
  app.use((_req, res) => void res.status(404).json({ kind: 'resp', code: 404, body: { title: 'Not Found' } }));
  // Malformed JSON lands here (400); anything else is a simulator bug, visible in `state.rejections`.
  app.use((err: { status?: number; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status < 500 ? err.status : 500;
    reject(state, res, 'any', status, err.message ?? 'error');
  });

  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  function track<T>(p: Promise<T>): Promise<T> {
    pending.add(p);
    void p.catch(() => undefined).finally(() => pending.delete(p));
    return p;
  }

  function sign(raw: string | Buffer): string {
    return `sha1=${createHmac('sha1', clientSecret).update(raw).digest('base64')}`;
  }

  /** POSTs exact bytes, signed (or with the given signature), as LivePerson's webhook sender does. */
  async function postRaw(raw: string, signature = sign(raw)): Promise<PostedWebhook> {
    if (!settings.webhookUrl) throw new Error('the simulator has no webhookUrl');
    const res = await fetch(settings.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-liveperson-account-id': accountId,
        'x-liveperson-client-id': clientId,
        'x-liveperson-signature': signature,
      },
      body: raw,
    });
    await res.arrayBuffer();
    const result = { raw, status: res.status };
    posted.push(result);
    return result;
  }

  const post = (n: Notification) => postRaw(JSON.stringify(n));

  function conversation(id: string): SimConversation {
    const conv = state.conversations.get(id);
    if (!conv) throw new Error(`the simulator has no conversation ${id}`);
    return conv;
  }

  function agentEvent(
    conv: SimConversation,
    event: Record<string, unknown>,
    audience: RecordedEvent['audience'] = 'ALL',
    role: Exclude<LpRole, 'CONSUMER'> = 'ASSIGNED_AGENT',
  ) {
    const recorded: RecordedEvent = {
      sequence: event.type === 'ChatStateEvent' ? 0 : conv.nextSequence++,
      role,
      originatorId: role === 'ASSIGNED_AGENT' ? (conv.agentId ?? 'sim-agent') : `sim-${role.toLowerCase()}`,
      event,
      serverTimestamp: Date.now(),
      audience,
    };
    conv.events.push(recorded);
    return recorded;
  }

  async function agentPublishes(convId: string, event: Record<string, unknown>) {
    const conv = conversation(convId);
    const recorded = agentEvent(conv, event);
    return { ...(await post(messagingNotification(conv, [recorded]))), sequence: recorded.sequence };
  }

  async function changeState(convId: string, mutate: (conv: SimConversation) => void) {
    const conv = conversation(convId);
    mutate(conv);
    nextTs(conv);
    const notification = conversationChange(conv, accountId);
    return { ...(await post(notification)), notification };
  }

  return {
    url: `http://${address}`,
    /** The host:port the Domain API returns: configure the adapter with `scheme: http`. */
    host: address,
    accountId,
    clientId,
    clientSecret,
    state,
    posted,
    conversations: state.conversations,
    setWebhookUrl(url: string | undefined) {
      settings.webhookUrl = url;
    },
    setAppJwtTtlSeconds(seconds: number) {
      settings.appJwtTtlSeconds = seconds;
    },
    /** SEND answers `status` (e.g. 503) until called again with undefined: an outage of the messaging service. */
    setSendOutage(status: number | undefined) {
      settings.sendOutage = status;
    },
    /** Every AppJWT issued so far is refused with 401 / 40102 from now on. */
    expireTokens: () => tokens.expireAll(),
    lpConsumerId: (extConsumerId: string) => tokens.lpConsumerId(extConsumerId),
    sign,
    postRaw,
    post,
    /** Posts again the exact bytes of an earlier webhook (LivePerson redelivers). */
    repost: (index: number) => postRaw(posted.at(index)?.raw ?? '{}'),
    /** Waits for echoes and other webhooks posted in the background. */
    settle: () => Promise.allSettled([...pending]),
    agentJoins: (convId: string, agent: { id: string } = { id: randomUUID() }) =>
      changeState(convId, (c) => void (c.agentId = agent.id)),
    closeConversation: (convId: string, by: 'CONSUMER' | 'AGENT' | 'SYSTEM' = 'AGENT') =>
      changeState(convId, (c) => Object.assign(c, { state: 'CLOSE', closeReason: by, endTs: Date.now() })),
    /**
     * One notification whose `changes` hold every text given (LivePerson batches). `role` MANAGER is a
     * supervisor who joined the conversation; `audience` AGENTS_AND_MANAGERS a private note.
     */
    async agentSays(
      convId: string,
      text: string | string[],
      opts: { audience?: RecordedEvent['audience']; role?: Exclude<LpRole, 'CONSUMER'> } = {},
    ) {
      const conv = conversation(convId);
      const events = (Array.isArray(text) ? text : [text]).map((message) =>
        agentEvent(conv, { type: 'ContentEvent', contentType: 'text/plain', message }, opts.audience, opts.role),
      );
      return { ...(await post(messagingNotification(conv, events))), sequences: events.map((e) => e.sequence) };
    },
    /** The agent offers quick replies under a text (validated as LivePerson documents them). */
    async agentQuickReplies(convId: string, message: string, quickReplies: unknown) {
      const event = { type: 'ContentEvent', contentType: 'text/plain', message, quickReplies };
      return agentPublishes(convId, PublishedEvent.parse(event) as Record<string, unknown>);
    },
    /** The agent sends structured content (a card, a list of buttons, a carousel). */
    async agentRichContent(convId: string, content: unknown) {
      return agentPublishes(convId, PublishedEvent.parse({ type: 'RichContentEvent', content }) as Record<string, unknown>);
    },
    /**
     * The next agent event takes a sequence number but is never notified: LivePerson's webhook gave up
     * on it (retries exhausted). What follows arrives with a gap in `sequence`.
     */
    loseNextAgentEvent(convId: string) {
      return agentEvent(conversation(convId), { type: 'ContentEvent', contentType: 'text/plain', message: '(lost)' }).sequence;
    },
    /** The agent shares an image: a `hosted/file` ContentEvent whose file sits in the account's swift folder. */
    async agentSharesFile(convId: string, file: { name: string; fileType: 'PNG' | 'JPG' | 'JPEG' | 'GIF'; caption?: string }) {
      const conv = conversation(convId);
      const message = { relativePath: `/v1/AUTH_async-images/${accountId}/${file.name}`, fileType: file.fileType, ...(file.caption ? { caption: file.caption } : {}) };
      const event = agentEvent(conv, { type: 'ContentEvent', contentType: 'hosted/file', message });
      return { ...(await post(messagingNotification(conv, [event]))), sequence: event.sequence };
    },
    agentTyping: (convId: string, chatState: 'COMPOSING' | 'ACTIVE' | 'PAUSE' = 'COMPOSING') => {
      const conv = conversation(convId);
      return post(messagingNotification(conv, [agentEvent(conv, { type: 'ChatStateEvent', chatState })]));
    },
    async agentReads(convId: string, sequenceList: number[], status: 'READ' | 'ACCEPT' = 'READ') {
      const conv = conversation(convId);
      const event = agentEvent(conv, { type: 'AcceptStatusEvent', status, sequenceList });
      return { ...(await post(messagingNotification(conv, [event]))), sequence: event.sequence };
    },
    async close(): Promise<void> {
      await Promise.allSettled([...pending]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
