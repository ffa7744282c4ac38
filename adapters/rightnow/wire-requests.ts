import { z } from 'zod';

/**
 * The requests chatbridge sends to RightNow / B2C Service: where each goes and its body, field by field,
 * in ONE place (what the adapter reads back is in wire.ts). `AgentRequests` types every agent API call
 * (api.ts), so a body that strays from these shapes does not compile; the simulator's own reading of the
 * docs refuses it at run time. Sources and the meaning of UNKNOWN: see wire.ts.
 */

// ---------------------------------------------------------------- where requests go

export const CONNECT_REST_SETTINGS_PATH = '/services/rest/crossChannelServices/latest/serviceSettings/1';
export const CONNECT_REST_TOKENS_PATH = '/services/rest/crossChannelServices/latest/agentTokens';
export const APPLICATION_CONTEXT_HEADER = 'osvc-crest-application-context';
export const agentApiPath = (fqSiteName: string, operation: AgentOperation): string =>
  `/engagement/api/agent/${encodeURIComponent(fqSiteName)}/v1/${operation}`;

// ---------------------------------------------------------------- agent API request bodies

const int64 = z.number().int().nonnegative();
const sequenced = { sequenceNumber: int64.optional(), timeCreated: int64.optional() };

const CreateAgentSessionRequest = z.strictObject({
  logonOverride: z.boolean().optional(),
  messageDataMap: z.record(z.string(), z.string()).nullable().optional(),
  ...sequenced,
});

const LogoffRequest = z.strictObject({ forceLogoff: z.boolean(), ...sequenced });

const RequestAssignmentRequest = z.strictObject({
  assignmentRequested: z.boolean(),
  idleSessionCount: z.number().int().nonnegative(),
  maxSessionCount: z.number().int().nonnegative(),
  ...sequenced,
});

const AssignmentAcknowledgementRequest = z.strictObject({
  action: z.enum(['NONE', 'ACCEPT', 'DECLINE', 'UNAVAILABLE', 'AVAILABLE']),
  actionType: z.enum(['NONE', 'MANUAL', 'AUTO']),
  assignmentType: z.enum(['NONE', 'CONFERENCE', 'LEAD', 'TRANSFER', 'MONITOR']),
  engagementId: int64,
  ...sequenced,
});

/** UNKNOWN: getMessages' request body; we send only the optional timestamp (no sequence: it is a read). */
const GetMessagesRequest = z.strictObject({ timeCreated: int64.optional() });

const DESTINATION_TYPES = [
  'NONE', 'AGENT', 'END_USER', 'ENGAGEMENT', 'GROUP', 'PROFILE', 'QUEUE', 'SUBSCRIPTION_AGENT_STATS',
  'SUBSCRIPTION_AGENT_STATS_BY_GROUP', 'SUBSCRIPTION_AGENT_STATS_BY_QUEUE', 'SUBSCRIPTION_AGENT_GROUP_STATS',
  'SUBSCRIPTION_ENGAGEMENT_STATS', 'SUBSCRIPTION_ENGAGEMENT_STATS_BY_QUEUE', 'SUBSCRIPTION_ENGAGEMENT_STATS_BY_AGENT',
  'SUBSCRIPTION_QUEUE_STATS', 'SYSTEM', 'UNIVERSAL_QUEUE', 'UNKNOWN',
] as const;

/** The seed, field by field. `messageId` has no documented length: we keep it at most 64 characters. */
const PostMessageRequest = z.strictObject({
  body: z.string(),
  destinationId: int64,
  destinationType: z.enum(DESTINATION_TYPES),
  messageDataMap: z.record(z.string(), z.string()).nullable().optional(),
  messageId: z.string().max(64).optional(),
  messageType: z.enum(['TEXT']),
  richText: z.boolean().nullable().optional(),
  ...sequenced,
  visibility: z.enum(['NONE', 'ALL', 'NOT_ENDUSER']).optional(),
});
export const MESSAGE_ID_MAX = 64;

/** UNKNOWN beyond the notes: whose `clientId` this carries (we send our own agent client id). */
const SetInteractionStatusRequest = z.strictObject({
  clientId: int64,
  engagementId: int64,
  mode: z.enum(['NONE', 'LISTENING', 'RESPONDING']),
  sneakPreview: z.string().optional(),
  ...sequenced,
});

const ConcludeChatRequest = z.strictObject({ engagementId: int64, ...sequenced });
/** The notes: releaseChat takes the same body as concludeChat. */
const ReleaseChatRequest = ConcludeChatRequest;
/** The notes: `{engagementId, sequenceNumber, timeCreated}`; sends the chat to the site's escalation queue. */
const RerouteEngagementRequest = ConcludeChatRequest;


/** Every agent API operation the adapter calls, with its request body. */
export interface AgentRequests {
  createAutomatedAgentSession: z.input<typeof CreateAgentSessionRequest>;
  logoff: z.input<typeof LogoffRequest>;
  requestAssignment: z.input<typeof RequestAssignmentRequest>;
  assignmentAcknowledgement: z.input<typeof AssignmentAcknowledgementRequest>;
  getMessages: z.input<typeof GetMessagesRequest>;
  postMessage: z.input<typeof PostMessageRequest>;
  setInteractionStatus: z.input<typeof SetInteractionStatusRequest>;
  concludeChat: z.input<typeof ConcludeChatRequest>;
  releaseChat: z.input<typeof ReleaseChatRequest>;
  rerouteEngagement: z.input<typeof RerouteEngagementRequest>;
}
export type AgentOperation = keyof AgentRequests;
