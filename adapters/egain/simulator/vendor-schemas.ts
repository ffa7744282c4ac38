import { z } from 'zod';

/**
 * What the fake Hub accepts, written down from eGain's Conversation Manager v3 pages on their own,
 * without the adapter's wire.ts: the simulator is a second reading of the docs, so a misreading on
 * one side shows up as a refused request instead of two copies of the same mistake agreeing.
 */

/** Client application types (Send message: the permission table's columns; POST /clientapplications roles). */
export const CLIENT_TYPES = ['customer', 'egain_agent', 'custom_agent', 'egain_bot', 'custom_bot'] as const;
export type SimClientType = (typeof CLIENT_TYPES)[number];

/** eGain caps a declared asset at 10 MiB (Assets: create asset). */
export const ASSET_SIZE_LIMIT = 10 * 1024 * 1024;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text the Hub stores and relays: a lone UTF-16 surrogate is no character, and is refused. */
const HubText = z.string().refine((text) => !LONE_SURROGATE.test(text), 'text is not well-formed Unicode (lone surrogate)');

const Named = z.object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() });

/**
 * A rich message's structure. eGain's pages name the types and the channel's `richMessageTypes`, not the
 * body: this is the shape the bridge's docs promise to send (`content.richMessage`, lists wrapped as
 * `{option: [...]}` like eGain's other lists), checked strictly so a drift on either side shows.
 */
const SimRichOption = z.strictObject({
  title: HubText.pipe(z.string().min(1).max(256)),
  value: z.string().min(1).max(1024).optional(),
  subtitle: z.string().max(512).optional(),
  imageUrl: z.string().url().optional(),
  url: z.string().url().optional(),
});
export const SimRichMessage = z.strictObject({
  title: HubText.optional(),
  subtitle: z.string().optional(),
  multipleSelection: z.boolean().optional(),
  url: z.string().url().optional(),
  imageUrl: z.string().url().optional(),
  options: z.strictObject({ option: z.array(SimRichOption).min(1).max(100) }).optional(),
});
export type SimRichMessage = z.infer<typeof SimRichMessage>;

/**
 * One message as the Send message reference and the GET /conversations/{id} sample show it: a typed
 * `type.value`, `content` (`text`, `redact`), a `sender` of a client application type, and the
 * `conversation` it belongs to (an id, or account + customer contacts + entry point to start one).
 * The guesses shared with the adapter are written here again: `content.format` for rich text and
 * `content.attachments.attachment[].id` for assets.
 */
export const SimMessage = z.object({
  type: z.object({ value: z.string().min(1).max(64) }),
  content: z
    .object({
      text: HubText.optional(),
      redact: z.boolean().optional(),
      format: z.enum(['plain', 'html']).optional(),
      attachments: z.object({ attachment: z.array(z.object({ id: z.string().min(1) })).min(1).max(20) }).optional(),
      richMessage: SimRichMessage.optional(),
    })
    .optional(),
  sender: z.object({ type: z.enum(CLIENT_TYPES), participant: Named.optional() }),
  conversation: z
    .object({
      id: z.string().min(1).optional(),
      account: z.object({ address: z.string().min(1), channel: z.object({ type: z.string().min(1) }) }).optional(),
      customer: z
        .object({
          firstName: z.string().optional(),
          lastName: z.string().optional(),
          language: z.string().optional(),
          contacts: z.object({ contact: z.array(z.object({ type: z.string().min(1), address: z.string().min(1) })).min(1) }).optional(),
        })
        .optional(),
      entryPoint: z.object({ id: z.string().min(1) }).optional(),
    })
    .optional(),
});
export type SimMessage = z.infer<typeof SimMessage>;

/** `POST /conversations/messages`: `metadata` and `messages` are both required objects. */
export const SimSendBody = z.object({
  metadata: z.object({ attributes: z.array(z.object({ name: z.string().min(1), value: z.string() })).optional() }),
  messages: z.object({ message: z.array(SimMessage).min(1) }),
});
export type SimSendBody = z.infer<typeof SimSendBody>;

const Direction = z.object({
  maxTextLength: z.number().int().positive().optional(),
  systemMessages: z.boolean().optional(),
  midChatAuth: z.boolean().optional(),
  features: z.array(z.enum(['typing_events', 'attachments', 'richText'])).optional(),
  richMessageTypes: z.array(z.string()).optional(),
  attachmentPolicy: z
    .object({
      enabled: z.boolean(),
      maxSize: z.number().int().positive().optional(),
      type: z.enum(['allow', 'block']).optional(),
      extensions: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});
export type SimDirection = z.infer<typeof Direction>;

/** Create / update channel: the field limits of the Channel reference. */
export const SimChannelBody = z.object({
  type: z.string().min(1).max(255),
  displayName: z.string().min(1).max(255),
  icon: z.string().min(1).max(512_000),
  description: z.string().min(1).max(1023).optional(),
  active: z.boolean().optional(),
  restrictions: z.object({ inbound: Direction.optional(), outbound: Direction.optional() }).optional(),
  l10nProperties: z
    .array(z.object({ language: z.string().min(1), properties: z.array(z.object({ name: z.string().min(1), value: z.string() })) }))
    .min(1)
    .max(25)
    .optional(),
  modified: z.string().optional(),
});
export type SimChannelBody = z.infer<typeof SimChannelBody>;

/** Create asset: `{channel: {type}, sender: {type}, name, size}`. */
export const SimAssetRequest = z.object({
  channel: z.object({ type: z.string().min(1) }),
  sender: z.object({ type: z.enum(CLIENT_TYPES) }),
  name: z.string().min(1).max(255),
  size: z.number().int().positive().max(ASSET_SIZE_LIMIT),
});
