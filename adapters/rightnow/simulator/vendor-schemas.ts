import { z } from 'zod';

/**
 * What the fake chat server accepts, written from Oracle's B2C Service Chat agent REST API reference
 * ("Send a message" and the per-operation pages) and Oracle's public Customer Portal chat code, on
 * their own: the simulator never reads the adapter's wire file, so a misreading there shows up here as
 * a refusal instead of being mirrored.
 */

export const SETTINGS_PATH = '/services/rest/crossChannelServices/latest/serviceSettings/1';
export const TOKENS_PATH = '/services/rest/crossChannelServices/latest/agentTokens';
/** Connect REST refuses calls without it (at most 40 characters). */
export const CONTEXT_HEADER = 'osvc-crest-application-context';

export const OPERATIONS = [
  'createAutomatedAgentSession',
  'logoff',
  'requestAssignment',
  'assignmentAcknowledgement',
  'getMessages',
  'postMessage',
  'setInteractionStatus',
  'concludeChat',
  'releaseChat',
  'rerouteEngagement',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The exception codes the reference lists, with the HTTP status the server answers each with. */
export const STATUS_OF = {
  ACCESS_DENIED: 403,
  UNKNOWN_EXCEPTION: 500,
  CONFLICT: 409,
  UNDEFINED_CONDITION: 500,
  INVALID_FIELD: 400,
  BAD_REQUEST: 400,
  INTERNAL_SERVER_ERROR: 500,
  DEPENDENCY_APPLICATION_TIMEOUT: 504,
} as const;
export type Code = keyof typeof STATUS_OF;

/** "integer(int64)" in the reference. */
const long = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Every request may carry the client's transaction sequence number and its creation time. */
const transaction = { sequenceNumber: long.optional(), timeCreated: long.optional() };
const stringMap = z.record(z.string(), z.string()).nullable().optional();

export const LogonBody = z.strictObject({ logonOverride: z.boolean().optional(), messageDataMap: stringMap, ...transaction });
export const LogoffBody = z.strictObject({ forceLogoff: z.boolean(), ...transaction });
export const AssignmentBody = z.strictObject({
  assignmentRequested: z.boolean(),
  idleSessionCount: z.number().int().min(0),
  maxSessionCount: z.number().int().min(0),
  ...transaction,
});
export const AcknowledgementBody = z.strictObject({
  action: z.enum(['NONE', 'ACCEPT', 'DECLINE', 'UNAVAILABLE', 'AVAILABLE']),
  actionType: z.enum(['NONE', 'MANUAL', 'AUTO']),
  assignmentType: z.enum(['NONE', 'CONFERENCE', 'LEAD', 'TRANSFER', 'MONITOR']),
  engagementId: long,
  ...transaction,
});
/** The reference shows no required field for a retrieval. */
export const RetrievalBody = z.strictObject({ timeCreated: long.optional() });

/** "Send a message": PostMessageRequest, field by field. */
export const PostBody = z.strictObject({
  body: z.string(),
  destinationId: long,
  destinationType: z.enum([
    'NONE', 'AGENT', 'END_USER', 'ENGAGEMENT', 'GROUP', 'PROFILE', 'QUEUE', 'SUBSCRIPTION_AGENT_STATS',
    'SUBSCRIPTION_AGENT_STATS_BY_GROUP', 'SUBSCRIPTION_AGENT_STATS_BY_QUEUE', 'SUBSCRIPTION_AGENT_GROUP_STATS',
    'SUBSCRIPTION_ENGAGEMENT_STATS', 'SUBSCRIPTION_ENGAGEMENT_STATS_BY_QUEUE', 'SUBSCRIPTION_ENGAGEMENT_STATS_BY_AGENT',
    'SUBSCRIPTION_QUEUE_STATS', 'SYSTEM', 'UNIVERSAL_QUEUE', 'UNKNOWN',
  ]),
  messageDataMap: stringMap,
  messageId: z.string().optional(),
  messageType: z.literal('TEXT'),
  richText: z.boolean().nullable().optional(),
  visibility: z.enum(['NONE', 'ALL', 'NOT_ENDUSER']).optional(),
  ...transaction,
});
export type PostBody = z.infer<typeof PostBody>;

export const InteractionBody = z.strictObject({
  clientId: long,
  engagementId: long,
  mode: z.enum(['NONE', 'LISTENING', 'RESPONDING']),
  sneakPreview: z.string().optional(),
  ...transaction,
});

/** concludeChat and releaseChat take the same body. */
/** concludeChat, releaseChat and rerouteEngagement ("sends the chat to the site's escalation queue"). */
export const EngagementBody = z.strictObject({ engagementId: long, ...transaction });

/**
 * Fields whose values the Customer Portal payloads carry as `{value, chatMessageType}` objects; the
 * simulator writes them that way in the Portal envelope.
 */
export const ENUM_FIELDS: Record<string, string> = {
  mode: 'ChatInteractionMode',
  senderType: 'ChatChannelType',
  reason: 'ChatDisconnectReason',
  role: 'ChatParticipantRole',
  assignmentType: 'ChatAssignmentType',
  visibility: 'ChatVisibility',
};

/** The name under which the Customer Portal reads a pool change. */
export const POOL_CONFIG_NAME = 'CHAT_CLUSTER_POOL_ID';
