import { createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * The LivePerson wire contract: the shapes, enums and error codes the adapter reads, in ONE place (the
 * requests it sends are built in wire-requests.ts). The simulator has its own reading of the docs and never
 * imports this file, so a misreading here is refused there. This file holds vendor facts only.
 *
 * Sources: LivePerson's developer documentation (Connector API, Messaging Window API, Webhooks, Structured
 * Content, Quick Replies) and its public connector samples. Anything marked UNKNOWN is our best guess.
 */

export const PLATFORM = 'liveperson';

// ---------------------------------------------------------------- Domain API and credentials

/** Domain API service names (case-sensitive). */
export const LP_SERVICES = ['asyncMessagingEnt', 'sentinel', 'idp', 'swift'] as const;
export type LpService = (typeof LP_SERVICES)[number];

/** 401 errorCode for an expired or invalid AppJWT: refresh once and retry. */
export const APP_JWT_EXPIRED = '40102';

/**
 * UNKNOWN: LivePerson documents the AppJWT as valid for one hour but shows no `expires_in`; when the
 * token carries no `exp` either, we assume that hour.
 */
export const APP_JWT_ASSUMED_LIFETIME_MS = 3600_000;

/**
 * UNKNOWN: whether LivePerson accepts `Authorization: Bearer <AppJWT>`. Its own samples send the raw token,
 * so we do, and the simulator accepts only that.
 */

/**
 * UNKNOWN: the allowed characters and length of `ext_consumer_id`; we send 40 hex characters derived
 * from tenant and canonical conversation, which any sane rule accepts.
 */
export const EXT_CONSUMER_ID_PREFIX = 'cb-';

/**
 * UNKNOWN: the error for SEND on a closed conversation and for a second CONVERSATION while the consumer
 * has one open are undocumented; they surface as 4xx and are therefore permanent. The simulator answers
 * both with 400 and LivePerson's error body.
 */

// ---------------------------------------------------------------- webhooks

/**
 * The webhook subscriptions a connector app must register, one per event type ("Webhooks: configuration"):
 * the bridge reads each of them at `/webhooks/<tenant>/liveperson`.
 */
export const WEBHOOK_EVENT_TYPES = [
  'ms.MessagingEventNotification.ContentEvent',
  'ms.MessagingEventNotification.RichContentEvent',
  'ms.MessagingEventNotification.AcceptStatusEvent',
  'ms.MessagingEventNotification.ChatStateEvent',
  'cqm.ExConversationChangeNotification',
] as const;

/** `X-Liveperson-Signature`: `sha1=` + Base64(HMAC-SHA1(client secret, raw body)); sha256 when the account enabled it. */
export const SIGNATURE_HEADER = /^(sha1|sha256)=(.+)$/;

export function livePersonSignature(secret: string, rawBody: Buffer, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(rawBody).digest('base64')}`;
}

/**
 * A published signature example (LivePerson's connector demo app tests): this secret over this exact body
 * gives this header. The check command signs it to prove the signing matches LivePerson's before traffic does.
 */
export const SIGNATURE_EXAMPLE = {
  secret: 'rl9hacst6kqilbofup64n11ga3',
  body: '{"kind":"notification","body":{"changes":[{"originatorId":"2969e404f3be1c8cdda63f0b72d205ab5afb3fe3e3d7d72ab58245f564fdfd91","originatorMetadata":{"id":"2969e404f3be1c8cdda63f0b72d205ab5afb3fe3e3d7d72ab58245f564fdfd91","role":"CONSUMER"},"event":{"type":"ChatStateEvent","chatState":"PAUSE"},"conversationId":"b8b83fe9-75f0-46f2-baaa-2930f7192cfb","dialogId":"b8b83fe9-75f0-46f2-baaa-2930f7192cfb"}]},"type":"ms.MessagingEventNotification"}',
  signature: 'sha1=e/TfS0wv1HbvEsMqcBMmFLcMslI=',
} as const;

/** The envelope of every notification: its type and a batch of changes, each read on its own. */
export const Notification = z.looseObject({
  type: z.string(),
  body: z.looseObject({ changes: z.array(z.unknown()) }),
});

/** One change of an `ms.MessagingEventNotification`. */
export const MessagingChange = z.looseObject({
  sequence: z.number().int().optional(),
  originatorId: z.string().optional(),
  originatorMetadata: z.looseObject({ id: z.string().optional(), role: z.string().optional() }).optional(),
  serverTimestamp: z.number().optional(),
  event: z.looseObject({ type: z.string() }),
  conversationId: z.string().min(1).optional(),
  dialogId: z.string().min(1),
  messageAudience: z.string().optional(),
});
export type MessagingChange = z.infer<typeof MessagingChange>;

const Participant = z.looseObject({ id: z.string(), role: z.string() });
const Dialog = z.looseObject({
  dialogType: z.string().optional(),
  state: z.string().optional(),
  closedBy: z.string().optional(),
  participantsDetails: z.array(z.looseObject({ id: z.string(), role: z.string(), state: z.string().optional() })).optional(),
});

/** One change of a `cqm.ExConversationChangeNotification`: the complete state of one conversation. */
export const ExConversationChange = z.looseObject({
  type: z.string(),
  result: z.looseObject({
    convId: z.string().min(1),
    conversationDetails: z.looseObject({
      state: z.string().optional(),
      closeReason: z.string().optional(),
      metaDataLastUpdateTs: z.number(),
      participants: z.array(Participant).optional(),
      dialogs: z.array(Dialog).optional(),
    }),
  }),
});
export type ExConversationChange = z.infer<typeof ExConversationChange>;

/**
 * Agent-side roles whose content (audience ALL) reaches the customer: a MANAGER who barges in writes to
 * the customer like the assigned agent. CONSUMER is our own echo; READER and CONTROLLER never speak to
 * the customer.
 */
export const AGENT_ROLES = new Set(['ASSIGNED_AGENT', 'AGENT', 'MANAGER']);

/**
 * Every value LivePerson documents for what a webhook can carry (Messaging Window API schemas, webhooks
 * notification examples). A value outside these is not a quiet drop: it means our reading of the format is
 * wrong or out of date, so it is reported as unrecognised.
 */
export const KNOWN_ROLES = new Set(['CONSUMER', 'ASSIGNED_AGENT', 'AGENT', 'MANAGER', 'READER', 'CONTROLLER']);
export const KNOWN_EVENT_TYPES = new Set(['ContentEvent', 'RichContentEvent', 'AcceptStatusEvent', 'ChatStateEvent']);
export const KNOWN_ACCEPT_STATUSES = new Set(['ACCEPT', 'READ', 'ACCESS', 'NACK', 'ACTION']);
export const KNOWN_CHAT_STATES = new Set(['ACTIVE', 'INACTIVE', 'GONE', 'COMPOSING', 'PAUSE']);
/** UNKNOWN: ContentEvent content types beyond these two (the Connector API SEND page names only them). */
export const KNOWN_CONTENT_TYPES = new Set(['text/plain', 'hosted/file']);
/** The notification types the webhooks we register deliver (see WEBHOOK_EVENT_TYPES). */
export const KNOWN_NOTIFICATIONS = new Set(['ms.MessagingEventNotification', 'cqm.ExConversationChangeNotification']);

/** Events that carry content for the customer: only audience ALL may reach them. */
export const CONTENT_EVENT_TYPES = new Set(['ContentEvent', 'RichContentEvent']);

/**
 * UNKNOWN: whether ChatStateEvent / AcceptStatusEvent changes carry `messageAudience`. ContentEvents must
 * say ALL (private agent notes must never reach the customer); the others are dropped only when they
 * name another audience.
 */
export const PUBLIC_AUDIENCE = 'ALL';

/** closeReason / closedBy -> who ended the conversation. */
export const ENDED_BY: Record<string, 'customer' | 'agent' | 'system'> = {
  CONSUMER: 'customer',
  AGENT: 'agent',
  SYSTEM: 'system',
};

/**
 * UNKNOWN: a conversation closed with closeReason CONSUMER can only have been closed by us (the consumer
 * is chatbridge), so once we sent a close, that notification is treated as our echo. A CONSUMER close we
 * did not send (none is known to exist) still becomes conversation.ended by the customer.
 */

/**
 * UNKNOWN: ChatStateEvent changes carry neither sequence nor (often) serverTimestamp; with no stable id
 * available their events get a fresh one (typing is lossy, a duplicate is harmless).
 */

/**
 * UNKNOWN: ordering across instances. Two ExConversationChange notifications of one conversation handled
 * at the same moment by two instances can both pass the staleness check; LivePerson guarantees order within
 * a conversation outside its retry drain period, which makes that rare.
 */

/**
 * Each dialog numbers its events with a consecutive `sequence` (the agent's and the consumer's, SEND's reply
 * gives the consumer's), and the webhook retry policy admits loss: a hole is a lost event (sequence-gaps.ts).
 * UNKNOWN: whether LivePerson numbers events a consumer webhook never receives (private notes if they are not
 * delivered, system events): each would show as a gap. ChatStateEvents take no number (SEND answers 0 and
 * their notifications carry none). UNKNOWN: the first number of a dialog; a loss before the first number the
 * bridge sees is therefore not detected.
 */

// ---------------------------------------------------------------- rich content

/**
 * Readings of LivePerson's public "Structured Content" and "Quick Replies" pages (the seed's notes only say
 * that agent text may carry `quickReplies` and that RichContentEvent is structured JSON); rich-content.ts
 * maps them to canonical rich content and back:
 * - quick replies ride on a ContentEvent: `{contentType: 'text/plain', message, quickReplies: {type:
 *   'quickReplies', itemsPerRow, replies: [{type: 'button', title, tooltip, click: {actions: [...]}}]}}`;
 * - a RichContentEvent carries `content`, a tree of elements: layouts `vertical`, `horizontal` and
 *   `carousel` (with `elements`), and `text` (`text`), `image` (`url`, `caption`), `button` (`title`,
 *   `click.actions[]`: `publishText` with `text`, `link` with `uri`), `map` and others;
 * - a button that answers publishes its `publishText` text as the consumer's ContentEvent.
 * UNKNOWN: whether every element type above reaches a Connector-API webhook unchanged; the reader takes
 * any tree, reads what it knows and skips the rest. UNKNOWN: whether LivePerson's agent workspace shows
 * structured content a *consumer* published; sending it is therefore opt-in (`consumerRichContent`).
 */
const Action = z.looseObject({ type: z.string(), text: z.string().optional(), uri: z.string().optional(), name: z.string().optional() });
/** A button's `click`: what it publishes or opens. */
export const Click = z.looseObject({ actions: z.array(Action).optional() }).optional();
const Reply = z.looseObject({ type: z.string().optional(), title: z.string().min(1), click: Click });
export const LpQuickReplies = z.looseObject({ type: z.literal('quickReplies').optional(), replies: z.array(Reply).min(1) });

/** One element of a structured-content tree, read field by field (any other element is skipped). */
export interface StructuredElement {
  type?: unknown;
  text?: unknown;
  title?: unknown;
  url?: unknown;
  caption?: unknown;
  click?: unknown;
  elements?: unknown;
}

// ---------------------------------------------------------------- hosted files

/** Hosted files LivePerson accepts (max 3 MB, preview under 30 KB). */
export const HOSTED_FILE_TYPES: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/jpg': 'JPG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
};
export const HOSTED_FILE_MAX_BYTES = 3 * 1024 * 1024;

/** UNKNOWN: whether the hosted-file `preview` is mandatory; we send it when the image is small enough. */
