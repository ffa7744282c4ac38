import { z } from 'zod';
import { ClientType, Contact, MAX_ASSET_SIZE, MessageContent, Participant } from './wire.js';

/**
 * The requests chatbridge sends to eGain Conversation Manager v3, field by field (what it reads back, and
 * the sources and meaning of UNKNOWN, are in wire.ts). The channel body it registers is in wire.ts with the
 * channel it describes, because the bridge reads channels too.
 */

/**
 * The conversation block. Evidence (send-message parameters quoted from eGain's reference):
 * `conversation.account.address`, `conversation.account.channel.type`,
 * `conversation.customer.contacts.contact[].{type,address}` and `conversation.entryPoint.id` start a
 * conversation from a customer app. UNKNOWN: `id` for later messages, and the customer name fields.
 */
export const WireConversation = z.object({
  id: z.string().min(1).max(256).optional(),
  account: z.object({ address: z.string().min(1), channel: z.object({ type: z.string().min(1) }) }).optional(),
  customer: z
    .object({
      firstName: z.string().max(256).optional(),
      lastName: z.string().max(256).optional(),
      language: z.string().max(35).optional(),
      contacts: z.object({ contact: z.array(Contact).min(1).max(10) }).optional(),
    })
    .optional(),
  entryPoint: z.object({ id: z.string().min(1) }).optional(),
});
export type WireConversation = z.infer<typeof WireConversation>;

/**
 * The message object. Evidence: `type.value`, `sender.type`, `sender.participant.name`, `id`, `created`
 * (GET /conversations/{id} sample); its content in wire.ts (MessageContent).
 */
export const WireMessage = z.object({
  id: z.string().min(1).max(256).optional(),
  type: z.object({ value: z.string().min(1).max(64) }),
  content: MessageContent.optional(),
  sender: z.object({ type: ClientType, participant: Participant.optional() }),
  conversation: WireConversation.optional(),
  created: z.string().datetime({ offset: true }).optional(),
});
export type WireMessage = z.infer<typeof WireMessage>;

/** Only `metadata.attributes[{name, value}]` is visible in the seed's request sample. */
const Metadata = z.object({
  attributes: z.array(z.object({ name: z.string().min(1).max(255), value: z.string().max(4096) })).max(50).optional(),
});

/** `POST /conversations/messages`: both objects required (seed). */
export const SendRequest = z.object({
  metadata: Metadata,
  messages: z.object({ message: z.array(WireMessage).min(1).max(20) }),
});
export type SendRequest = z.infer<typeof SendRequest>;

/** `POST /assets`: declares a file before its bytes are uploaded. */
const AssetCreateRequest = z.object({
  channel: z.object({ type: z.string().min(1) }),
  sender: z.object({ type: ClientType }),
  name: z.string().min(1).max(255),
  size: z.number().int().positive().max(MAX_ASSET_SIZE),
});
export type AssetCreateRequest = z.infer<typeof AssetCreateRequest>;

/**
 * The signed upload URL's token names `"method":"POST"` (decoded from the seed's sample), so the bytes are
 * POSTed. UNKNOWN: the request's Content-Type; we send the attachment's own.
 */
export const UPLOAD_METHOD = 'POST';
