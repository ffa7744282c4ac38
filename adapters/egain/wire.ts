import { z } from 'zod';

/**
 * eGain Conversation Manager v3 wire shapes: the one place where the adapter writes down what the Hub
 * sends and answers, its channels and limits (the requests the bridge sends are in wire-requests.ts; the
 * simulator keeps its own reading of the same docs). Sources: eGain's
 * Conversation Manager v3 pages (Send message, Channel, Assets) and its public v3 reference as quoted by
 * third-party connectors. Whatever those pages collapse is marked UNKNOWN with the evidence it rests on.
 */

export const PLATFORM = 'egain';

/** The seed's client application types (send message table, POST /clientapplications roles). */
export const ClientType = z.enum(['customer', 'egain_agent', 'custom_agent', 'egain_bot', 'custom_bot']);
export type ClientType = z.infer<typeof ClientType>;

/** eGain error body (vendor-notes): `{"code": "400-101", "developerMessage", "details": [{key, value}]}`. */
export const ErrorBody = z.object({
  code: z.string(),
  developerMessage: z.string(),
  details: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  userMessage: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * UNKNOWN: eGain documents client credentials but not its reply; this is RFC 6749 section 5.1, where
 * `expires_in` is only RECOMMENDED. Without it the token's own `exp` (a JWT) or the configured
 * `tokenDefaultTtlSeconds` decides how long it is reused.
 */
export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().nullish(),
  scope: z.string().optional(),
});

/**
 * UNKNOWN: the unit `maxTextLength` counts. eGain's help speaks of characters (web chat 800); its
 * backend is Java, whose String.length() counts UTF-16 code units. We count UTF-16 code units, the
 * strictest of the readings of "characters" (never fewer than code points or grapheme clusters), so a
 * part that fits here fits under any of them.
 */
export function textLength(text: string): number {
  return text.length;
}

/** Who sent a message, as the send and callback bodies name them. */
export const Participant = z.object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() });

/** One way to reach the customer (`contacts.contact[]`). */
export const Contact = z.object({ type: z.string().min(1).max(64), address: z.string().min(1).max(320) });

/**
 * UNKNOWN: how a message points at an uploaded asset; eGain wraps lists as `{ item: [...] }` elsewhere.
 * We read only the id: the file's details and a signed download URL come from `GET /assets/{id}`, whose
 * `contentUrl` expires at `contentUrlExpiry` (Asset API), so it is asked at delivery and at each click of
 * a bridge file link, never kept.
 */
const AssetRef = z.object({ id: z.string().min(1).max(256) });

/**
 * UNKNOWN: the body of the `richMessage.*` types. The Send message page lists the types
 * (`richMessage.quickreply`, `listpicker`, `richlink`, ...) and the channel restrictions name them
 * (`richMessageTypes`, `features: richText`), but the message schema is collapsed. What we send: the
 * readable text in `content.text` (so a client that discards the type still shows something) and the
 * structure in `content.richMessage`, lists wrapped as eGain wraps them elsewhere (`{option: [...]}`).
 * What we read: that shape, and the same fields under `content.<quickreply|listpicker|richlink>` or
 * directly in `content`, lists as `options`/`items`/`replies`/`choices`, each bare or wrapped
 * (`{option|item: [...]}`), items named `title`/`label`/`text`/`name` (see rich-content.ts).
 */
const WireRichOption = z.object({
  title: z.string().min(1).max(256),
  value: z.string().max(1024).optional(),
  subtitle: z.string().max(512).optional(),
  imageUrl: z.string().url().optional(),
  url: z.string().url().optional(),
});
export const WireRichMessage = z.object({
  title: z.string().max(4096).optional(),
  subtitle: z.string().max(2048).optional(),
  multipleSelection: z.boolean().optional(),
  url: z.string().url().optional(),
  imageUrl: z.string().url().optional(),
  options: z.object({ option: z.array(WireRichOption).min(1).max(100) }).optional(),
});
export type WireRichMessage = z.infer<typeof WireRichMessage>;

/**
 * UNKNOWN: how the Hub relays a customer's answer to a quick reply or list picker. A chat widget most
 * likely posts the chosen title as `text`; a `richMessage.*` from the customer (the table lets no
 * customer send one, but a relayed answer may keep its type) is read for its selection under
 * `selected`/`selection`/`response`/`reply` or options marked `selected: true`.
 */

/**
 * The content of a message, sent and received alike. Evidence: `content.text`, `content.redact`
 * (GET /conversations/{id} sample). UNKNOWN: `content.attachments.attachment[]` and `content.format` (rich text).
 */
export const MessageContent = z.object({
  text: z.string().optional(),
  redact: z.boolean().optional(),
  format: z.enum(['plain', 'html']).optional(),
  attachments: z.object({ attachment: z.array(AssetRef).min(1).max(20) }).optional(),
  richMessage: WireRichMessage.optional(),
});

/**
 * UNKNOWN: the 202 body is collapsed to `{"messages": {...}}` in the seed. We read per-message ids and the
 * conversation id the Hub assigned (needed when a customer app starts a conversation) and tolerate neither.
 */
export const SendResponse = z.object({
  messages: z
    .object({
      message: z
        .array(z.object({ id: z.string().optional(), conversation: z.object({ id: z.string() }).optional() }))
        .optional(),
    })
    .optional(),
});

/**
 * UNKNOWN: how a callback describes the customer. The send parameters put `firstName`, `lastName`,
 * `language` and `contacts` in `conversation.customer`; a single `name` and a plain `email` are read
 * too. A block we cannot read is ignored rather than making the message unreadable (`catch`).
 */
export const CallbackCustomer = z
  .object({
    name: z.string().max(256).optional(),
    firstName: z.string().max(256).optional(),
    lastName: z.string().max(256).optional(),
    language: z.string().max(35).optional(),
    email: z.string().max(320).optional(),
    contacts: z.object({ contact: z.array(Contact).max(10) }).optional(),
  })
  .optional()
  .catch(undefined);
export type CallbackCustomer = NonNullable<z.infer<typeof CallbackCustomer>>;

/** The conversation block of a callback, wherever it travels (see CallbackMessage). */
const CallbackConversation = z.object({
  id: z.string().min(1).max(256).optional(),
  account: z
    .object({ channel: z.object({ type: z.string().min(1).max(255) }) })
    .optional()
    .catch(undefined),
  customer: CallbackCustomer,
});

/**
 * A message the Hub POSTs to a client application. UNKNOWN: assumed to be the send shape with the
 * Hub's ids filled in, which the GET /conversations sample suggests. Where the conversation is named
 * is not documented: `conversation.id` or `conversationId` in the message, else the same in the
 * callback's `metadata` (CallbackPayload); the customer likewise in the message, its conversation,
 * or `metadata`. Every one of these is read; a message naming no conversation cannot be read.
 */
export const CallbackMessage = z.object({
  id: z.string().min(1).max(256),
  type: z.object({ value: z.string().min(1).max(64) }),
  // Loose: a rich message's fields are read in every shape eGain might use (WireRichMessage).
  content: z.looseObject({ ...MessageContent.shape, richMessage: z.unknown().optional() }).optional(),
  sender: z.object({ type: ClientType, participant: Participant.optional() }),
  conversation: CallbackConversation.optional(),
  conversationId: z.string().min(1).max(256).optional(),
  customer: CallbackCustomer,
  created: z.string().datetime({ offset: true }).optional().catch(undefined),
});
export type CallbackMessage = z.infer<typeof CallbackMessage>;

/** Only what locates the conversation and customer is read from a callback's metadata. */
export const CallbackMetadata = z.object({
  conversation: CallbackConversation.optional(),
  conversationId: z.string().min(1).max(256).optional(),
  customer: CallbackCustomer,
});
export type CallbackMetadata = z.infer<typeof CallbackMetadata>;

/** The envelope: the seed's callback sample shows `metadata`; `messages.message[]` as in the send body. */
export const CallbackPayload = z.object({
  metadata: CallbackMetadata.optional(),
  messages: z.object({ message: z.array(z.unknown()).min(1).max(100) }),
});

/**
 * The channel texts (`l10nProperties`) that tell a sender why a file was not sent, with the en-US
 * values of the seed's channel sample as the fallback. UNKNOWN: which of the two
 * `msg_hub_invalid_content_type_*` texts eGain shows for attachments a channel does not take; we read
 * the suffix as the person the text is addressed to (the one who sent the file).
 */
export const REFUSAL_TEXTS = {
  msg_hub_blocked_file_extension: "Attachment file type '{0}' is not allowed.",
  msg_hub_attachment_size_exceeds_limit: 'File could not be sent. It exceeded the maximum limit of {0}',
  msg_hub_invalid_content_type_to_customer: 'This content type is not currently supported.',
  msg_hub_invalid_content_type_to_agent: 'This content type is not currently supported.',
} as const;

/** Channel restrictions (seed: POST /channels). */
const AttachmentPolicy = z.object({
  enabled: z.boolean(),
  maxSize: z.number().int().positive().optional(),
  type: z.enum(['allow', 'block']).optional(),
  extensions: z.array(z.string().min(1).max(32)).max(200).optional(),
});
type AttachmentPolicy = z.infer<typeof AttachmentPolicy>;

const Feature = z.enum(['typing_events', 'attachments', 'richText']);

export const DirectionRestrictions = z.object({
  maxTextLength: z.number().int().positive().optional(),
  systemMessages: z.boolean().optional(),
  midChatAuth: z.boolean().optional(),
  features: z.array(Feature).optional(),
  richMessageTypes: z.array(z.string().min(1)).optional(),
  attachmentPolicy: AttachmentPolicy.optional(),
});
export type DirectionRestrictions = z.infer<typeof DirectionRestrictions>;

export const Restrictions = z.object({
  inbound: DirectionRestrictions.optional(),
  outbound: DirectionRestrictions.optional(),
});
export type Restrictions = z.infer<typeof Restrictions>;

export const L10nProperties = z.object({
  language: z.string().min(2).max(35),
  properties: z.array(z.object({ name: z.string().min(1).max(255), value: z.string().max(4096) })).max(100),
});
export type L10nProperties = z.infer<typeof L10nProperties>;

/** POST and PUT /channels body (seed field limits). */
export const ChannelBody = z.object({
  type: z.string().min(1).max(255),
  displayName: z.string().min(1).max(255),
  icon: z.string().min(1).max(512_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
  description: z.string().min(1).max(1023).optional(),
  active: z.boolean().optional(),
  restrictions: Restrictions.optional(),
  l10nProperties: z.array(L10nProperties).min(1).max(25).optional(),
  modified: z.string().datetime({ offset: true }).optional(),
});
export type ChannelBody = z.infer<typeof ChannelBody>;

export const ChannelList = z.object({
  channel: z.array(ChannelBody.partial().extend({ id: z.string(), type: z.string() })).optional(),
});

/** eGain caps a declared asset at 10 MiB (vendor-notes). */
export const MAX_ASSET_SIZE = 10_485_760;

export const AssetCreateResponse = z.object({
  id: z.string().min(1),
  contentUrl: z.string().url(),
  contentUrlExpiry: z.string().datetime({ offset: true }),
});

export const AssetInfo = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  contentType: z.string().min(1),
  size: z.number().int().nonnegative(),
  contentUrl: z.string().url(),
  contentUrlExpiry: z.string().datetime({ offset: true }).optional(),
});

