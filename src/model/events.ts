import { z } from 'zod';
import { RichContent } from './rich.js';

/**
 * The canonical conversation-event model: the only thing that crosses between adapters.
 *
 * Adapters produce `InboundEvent`s (they know their native ids, not the canonical conversation);
 * the core resolves the canonical conversation and the tenant and stores `ConversationEvent`s.
 */

export const PlatformName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'platform names are lower-case words');

export const SenderRole = z.enum(['customer', 'agent', 'bot', 'system']);
export type SenderRole = z.infer<typeof SenderRole>;

export const Sender = z.object({
  role: SenderRole,
  id: z.string().max(256).optional(),
  name: z.string().max(256).optional(),
});
export type Sender = z.infer<typeof Sender>;

/** Where an event came from, in the origin platform's own ids. */
export const Origin = z.object({
  platform: PlatformName,
  conversationId: z.string().min(1).max(256),
  messageId: z.string().min(1).max(256).optional(),
  /** Further native ids an adapter needs to refer back to the event (LivePerson sequence, RightNow clientId...). */
  ids: z.record(z.string(), z.string().max(256)).optional(),
});
export type Origin = z.infer<typeof Origin>;

export const Attachment = z.object({
  name: z.string().min(1).max(512),
  contentType: z.string().min(1).max(128),
  size: z.number().int().nonnegative(),
  /** A URL the target adapter can download the bytes from (vendor-signed, short-lived). */
  url: z.string().url().optional(),
  /**
   * The origin platform's asset id. When the origin's connector resolves files (`resolveFile`), the core
   * asks it at delivery for a fresh `url` and the file's details: adapters never hold a signed URL across
   * the queue, where it would expire.
   */
  nativeId: z.string().max(256).optional(),
  /**
   * A lasting address for people to open (the bridge's own `/files/...` link, which fetches a fresh signed
   * URL on each click), set by the core at delivery next to `url`. Text shows it instead of `url`.
   */
  link: z.string().url().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const CustomerProfile = z.object({
  id: z.string().max(256).optional(),
  firstName: z.string().max(256).optional(),
  lastName: z.string().max(256).optional(),
  displayName: z.string().max(256).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(64).optional(),
  language: z.string().max(35).optional(),
  attributes: z.record(z.string(), z.string().max(4096)).optional(),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

export const Participant = z.object({
  id: z.string().min(1).max(256),
  name: z.string().max(256).optional(),
  role: SenderRole,
});
export type Participant = z.infer<typeof Participant>;

const common = {
  /** Stable across vendor redeliveries: derived from the vendor's own ids. The dedupe key. */
  id: z.string().min(1).max(512),
  origin: Origin,
  sender: Sender,
  timestamp: z.string().datetime({ offset: true }),
};

const bodies = {
  message: {
    kind: z.literal('message'),
    text: z.string().max(100_000),
    richText: z.boolean().default(false),
    attachments: z.array(Attachment).max(20).default([]),
    /** Quick replies, a list picker or a card; `text` is then its readable fallback (src/model/rich-text.ts). */
    rich: RichContent.optional(),
  },
  typing: {
    kind: z.literal('typing'),
    state: z.enum(['start', 'stop']),
  },
  receipt: {
    kind: z.literal('receipt'),
    status: z.enum(['delivered', 'read']),
    /** Canonical event ids of the messages this receipt is about. */
    messageIds: z.array(z.string().min(1).max(512)).min(1).max(500),
  },
  started: {
    kind: z.literal('conversation.started'),
    customer: CustomerProfile,
    subject: z.string().max(1024).optional(),
  },
  ended: {
    kind: z.literal('conversation.ended'),
    endedBy: SenderRole,
    reason: z.string().max(1024).optional(),
  },
  joined: {
    kind: z.literal('participant.joined'),
    participant: Participant,
    /** True when the participant replaces another (a transfer), not a first assignment. */
    transfer: z.boolean().default(false),
  },
  left: {
    kind: z.literal('participant.left'),
    participant: Participant,
    reason: z.string().max(1024).optional(),
  },
  customerInfo: {
    kind: z.literal('customer.info'),
    customer: CustomerProfile,
  },
} as const;

function hasFallback(m: { rich?: unknown; text: string }): boolean {
  return m.rich === undefined || m.text.trim() !== '';
}

function union<T extends z.ZodRawShape>(extra: T) {
  return z.discriminatedUnion('kind', [
    // Every target that cannot show rich content sends the text: it must never be empty.
    z.object({ ...common, ...extra, ...bodies.message }).refine((m) => hasFallback(m as { rich?: unknown; text: string }), {
      message: 'a rich message carries its readable text fallback in text',
      path: ['text'],
    }),
    z.object({ ...common, ...extra, ...bodies.typing }),
    z.object({ ...common, ...extra, ...bodies.receipt }),
    z.object({ ...common, ...extra, ...bodies.started }),
    z.object({ ...common, ...extra, ...bodies.ended }),
    z.object({ ...common, ...extra, ...bodies.joined }),
    z.object({ ...common, ...extra, ...bodies.left }),
    z.object({ ...common, ...extra, ...bodies.customerInfo }),
  ]);
}

/** What an adapter hands the core: no tenant, no canonical conversation yet. */
export const InboundEvent = union({});
export type InboundEvent = z.infer<typeof InboundEvent>;
export type InboundEventInput = z.input<typeof InboundEvent>;

/** A fully resolved event, as queued, delivered and kept in transcripts. */
export const ConversationEvent = union({
  tenant: z.string().min(1).max(64),
  conversationId: z.string().min(1).max(128),
});
export type ConversationEvent = z.infer<typeof ConversationEvent>;

export type EventKind = ConversationEvent['kind'];
export type EventOfKind<K extends EventKind> = Extract<ConversationEvent, { kind: K }>;

export const EVENT_KINDS: readonly EventKind[] = [
  'message',
  'typing',
  'receipt',
  'conversation.started',
  'conversation.ended',
  'participant.joined',
  'participant.left',
  'customer.info',
];
