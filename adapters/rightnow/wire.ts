import { z } from 'zod';

/**
 * The RightNow / B2C Service wire contract: every reply and notification shape, enum and exception code
 * the adapter reads, in ONE place (the requests it sends are in wire-requests.ts). The simulator has its
 * own reading of the docs and never imports this file, so a misreading here is refused there. This file
 * holds vendor facts only.
 *
 * Sources: Oracle's "Chat Agent API: postMessage" page, the Oracle B2C Service Engagement Agent API reference
 * (the op-engagement-api-agent-* operations) and Oracle's Customer Portal chat code. Anything marked UNKNOWN
 * is our best guess.
 */

export const PLATFORM = 'rightnow';

/** Exception codes of the agent API (postMessage seed + per-operation lists). */
export const EXCEPTION_CODES = [
  'ACCESS_DENIED',
  'UNKNOWN_EXCEPTION',
  'CONFLICT',
  'UNDEFINED_CONDITION',
  'INVALID_FIELD',
  'BAD_REQUEST',
  'INTERNAL_SERVER_ERROR',
  'DEPENDENCY_APPLICATION_TIMEOUT',
] as const;
export type ExceptionCode = (typeof EXCEPTION_CODES)[number];

/** Error body of a non-2xx reply ("Error bodies carry exceptionCode and message/detail"). */
export const ErrorBody = z.looseObject({
  exceptionCode: z.string().optional(),
  message: z.string().optional(),
  detail: z.string().optional(),
});

/** `chatSystemError` of a 200 reply: non-null means the operation failed. */
export const ChatSystemError = z.looseObject({
  errorCondition: z.string().optional(),
  text: z.string().optional(),
  type: z.string().optional(),
});
export type ChatSystemError = z.infer<typeof ChatSystemError>;

/**
 * UNKNOWN: how the server words a sequence number it refuses. We assume INVALID_FIELD naming the
 * field, and treat it as a race between instances (retry with a fresh number), not a bad event.
 */
export const SEQUENCE_FIELD = 'sequenceNumber';

// ---------------------------------------------------------------- Connect REST replies (session set-up)

export const ServiceSettings = z.looseObject({
  /** The chat server host. The simulator answers with a full origin (`http://127.0.0.1:port`). */
  domain: z.string().min(1),
  pool: z.string().min(1),
  port: z.number().int().optional(),
  siteName: z.string().min(1),
});
export type ServiceSettings = z.infer<typeof ServiceSettings>;

/** UNKNOWN: the reply's field name; the notes read the JWT as `sessionToken`. */
export const AgentTokenReply = z.looseObject({ sessionToken: z.string().min(1) });

// ---------------------------------------------------------------- chat server replies

const replyCommon = {
  chatSystemError: ChatSystemError.nullable().optional(),
  sessionId: z.string().optional(),
  clientId: z.number().int().optional(),
  clientIdString: z.string().optional(),
  sequenceNumber: z.number().int().optional(),
};

/**
 * UNKNOWN: the full ChatLogonResult shape. We read `sessionId` (and `clientId`) at the top level and
 * fall back to `chatLogonResult.sessionId`.
 */
export const CreateAgentSessionReply = z.looseObject({
  ...replyCommon,
  chatLogonResult: z.looseObject({ sessionId: z.string().optional(), clientId: z.number().int().optional() }).optional(),
});

export const GenericReply = z.looseObject(replyCommon);

/** Participant roles (`clientList[].role`); the end user is END_USER, LEAD is the lead agent. */
export const END_USER_ROLE = 'END_USER';

/** Oracle's Customer Portal payloads carry enum values as `{value, chatMessageType}` objects. */
const enumText = z.preprocess(
  (v) => (v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v),
  z.string(),
);

/**
 * `chatAssignmentAcknowledgementResult.clientList[]` names each participant with `clientId`, `role`,
 * `type` (notes). UNKNOWN: whether every reply carries it; we read what is there.
 */
export const AssignmentAcknowledgementReply = z.looseObject({
  ...replyCommon,
  chatAssignmentAcknowledgementResult: z
    .looseObject({
      clientList: z
        .array(z.looseObject({ clientId: z.number().int().optional(), role: enumText.optional(), type: enumText.optional() }))
        .optional(),
    })
    .nullable()
    .optional(),
});

// ---------------------------------------------------------------- getMessages
const idText = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().regex(/^\d+$/));

const engagementRef = {
  engagementId: idText.optional(),
  engagementIdString: idText.optional(),
  createdTime: z.union([z.number(), z.string()]).optional(),
  sequenceNumber: z.number().int().optional(),
};

/** Documented: the end user's interaction activity. */
const ChatActivitySignal = z.looseObject({
  ...engagementRef,
  clientId: z.number().int().optional(),
  mode: enumText,
  senderId: z.number().int().optional(),
  senderType: enumText.optional(),
});

/** UNKNOWN name and fields: an engagement offered to (or assigned to) this agent session. */
const ChatEngagementAssignmentNotification = z.looseObject({
  ...engagementRef,
  assignmentType: enumText.optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  subject: z.string().optional(),
  contactId: z.union([z.number(), z.string()]).optional(),
  queueId: z.union([z.number(), z.string()]).optional(),
});

/** UNKNOWN name: a text posted into the engagement (by the end user, or our own post echoed back). */
const ChatPostMessage = z.looseObject({
  ...engagementRef,
  body: z.string(),
  messageId: z.string().optional(),
  richText: z.boolean().nullable().optional(),
  senderId: z.number().int().optional(),
  senderType: enumText.optional(),
  senderName: z.string().optional(),
  visibility: enumText.optional(),
});

/** UNKNOWN name: a participant (end user or agent) left the engagement. */
const ChatParticipantLeftNotification = z.looseObject({
  ...engagementRef,
  clientId: z.number().int().optional(),
  role: enumText.optional(),
  reason: enumText.optional(),
});

/** UNKNOWN name: the engagement was concluded. */
const ChatEngagementConcludedNotification = z.looseObject({
  ...engagementRef,
  reason: enumText.optional(),
});

/**
 * Documented name: "a participant has disconnected" (Customer Portal), told apart by `clientId`. The only
 * public sample is `{clientId, reason}` with no `engagementId`; UNKNOWN whether the agent API adds one.
 */
const ChatDisconnectNotification = z.looseObject({
  ...engagementRef,
  clientId: z.number().int().optional(),
  reason: enumText.optional(),
});

/** `ChatDisconnectReason` values we act on: our own concludeChat coming back, and a participant leaving. */
export const AGENT_CONCLUDED = 'AGENT_CONCLUDED';
export const PARTICIPANT_LEFT = 'PARTICIPANT_LEFT';

const configText = z.union([z.string(), z.number()]).transform(String);
/** One configuration item, as the Customer Portal reads it: `name` (or `configName`) and `value`. */
const ConfigItem = z.looseObject({ name: z.string().optional(), configName: z.string().optional(), value: configText.optional() });

/**
 * Documented: the pool changed. UNKNOWN: the shape. The reference's excerpt suggests a `pool` (or `poolId`)
 * field; Oracle's Customer Portal reads the notification as the configuration item
 * `{name: "CHAT_CLUSTER_POOL_ID", value}`; a list of such items under any field is plausible too.
 */
const ChatConfigChangeNotification = z.looseObject({
  pool: configText.optional(),
  poolId: configText.optional(),
  ...ConfigItem.shape,
});
const POOL_CONFIG_NAME = 'CHAT_CLUSTER_POOL_ID';

/** The new pool a ChatConfigChangeNotification names, in whichever shape it came; undefined when none. */
export function poolOfConfigChange(body: Record<string, unknown>): string | undefined {
  const direct = ChatConfigChangeNotification.safeParse(body);
  if (!direct.success) return undefined;
  const items = [body, ...Object.values(body).filter(Array.isArray).flat()];
  for (const item of items) {
    const parsed = ConfigItem.safeParse(item);
    if (parsed.success && (parsed.data.name ?? parsed.data.configName) === POOL_CONFIG_NAME && parsed.data.value) {
      return parsed.data.value;
    }
  }
  return direct.data.pool ?? direct.data.poolId;
}

const MESSAGE_TYPES = {
  ChatActivitySignal,
  ChatEngagementAssignmentNotification,
  ChatPostMessage,
  ChatParticipantLeftNotification,
  ChatEngagementConcludedNotification,
  ChatDisconnectNotification,
  ChatConfigChangeNotification,
  ChatGetTimeout: z.looseObject({}),
} as const;
type MessageTypeName = keyof typeof MESSAGE_TYPES;
export type AgentMessage = {
  [K in MessageTypeName]: { type: K; body: z.infer<(typeof MESSAGE_TYPES)[K]> };
}[MessageTypeName];

/** One item as it arrived, before we know whether its type is one we read. */
export interface RawAgentMessage {
  type: string;
  body: Record<string, unknown>;
}

/**
 * getMessages answers in one of two envelopes (both seen in public sources):
 * the reference's `{getResponseTypes: [{"ChatActivitySignal": {...}}]}` (type as the wrapping key) and the
 * Customer Portal's `{responses: [{getResponseTypes: [{..., chatMessageType: "ChatActivitySignal"}]}]}`.
 * undefined when the reply is in neither (a wrong reading of the format: reported, never taken for an empty batch).
 */
export function unwrapGetMessages(reply: unknown): RawAgentMessage[] | undefined {
  if (!reply || typeof reply !== 'object') return undefined;
  const root = reply as { responses?: unknown; getResponseTypes?: unknown };
  if (!Array.isArray(root.responses) && !Array.isArray(root.getResponseTypes)) return undefined;
  const containers = Array.isArray(root.responses) ? root.responses : [root];
  const out: RawAgentMessage[] = [];
  for (const container of containers) {
    const items = (container as { getResponseTypes?: unknown } | null)?.getResponseTypes;
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      const record = item as Record<string, unknown>;
      if (typeof record.chatMessageType === 'string') {
        out.push({ type: record.chatMessageType, body: record });
        continue;
      }
      const keys = Object.keys(record);
      const inner = keys.length === 1 ? record[keys[0]!] : undefined;
      // An item in neither form keeps no type: the caller reports it as a type it does not know.
      if (inner && typeof inner === 'object') out.push({ type: keys[0]!, body: inner as Record<string, unknown> });
      else out.push({ type: '(untyped item)', body: record });
    }
  }
  return out;
}

/** A known, valid message, or undefined (unknown type or a shape we cannot read). */
export function parseAgentMessage(raw: RawAgentMessage): AgentMessage | { invalid: string } | undefined {
  const schema = (MESSAGE_TYPES as Record<string, z.ZodType>)[raw.type];
  if (!schema) return undefined;
  const parsed = schema.safeParse(raw.body);
  if (!parsed.success) return { invalid: raw.type };
  return { type: raw.type, body: parsed.data } as AgentMessage;
}
