import { ENUM_FIELDS, POOL_CONFIG_NAME } from './vendor-schemas.js';

/**
 * Where the public sources are silent or disagree, the simulator can speak each plausible shape, so
 * tests play every one the adapter claims to read. Every doc-silent choice is here, in one place.
 */
export interface ShapeSwitches {
  /** getMessages envelope: the reference's (type-keyed items) or the Customer Portal's (`chatMessageType`, enum objects). */
  envelope: 'reference' | 'portal';
  /** ChatConfigChangeNotification: a `pool` field, or the Customer Portal's `{name: CHAT_CLUSTER_POOL_ID, value}`. */
  poolChange: 'pool-field' | 'config-item';
  /** ChatDisconnectNotification: with an `engagementId`, or only `{clientId, reason}` as the Customer Portal's sample. */
  disconnect: 'with-engagement' | 'without-engagement';
  /** How the end user leaving is told: a disconnect (PARTICIPANT_LEFT), or one of the guessed notification names. */
  endUserLeaves: 'disconnect' | 'participant-left' | 'concluded';
  /** End-user posts with a `messageId`, or identified only by the engagement channel's sequence number. */
  endUserPosts: 'with-message-id' | 'without-message-id';
}

export interface SimOptions extends ShapeSwitches {
  username: string;
  password: string;
  agentAccountId: string;
  siteName: string;
  pool: string;
  pollHoldMs: number;
}

export const DEFAULT_SHAPES: ShapeSwitches = {
  envelope: 'reference',
  poolChange: 'pool-field',
  disconnect: 'with-engagement',
  endUserLeaves: 'disconnect',
  endUserPosts: 'with-message-id',
};

export function poolChangeBody(shapes: ShapeSwitches, pool: string): Record<string, unknown> {
  return shapes.poolChange === 'pool-field' ? { pool } : { name: POOL_CONFIG_NAME, value: pool };
}

export function disconnectBody(
  shapes: ShapeSwitches,
  fields: { engagementId: number; clientId: number; reason: string },
): Record<string, unknown> {
  const { engagementId, ...rest } = fields;
  return shapes.disconnect === 'with-engagement' ? { engagementId, engagementIdString: String(engagementId), ...rest } : rest;
}

/** The message the agent session receives when the end user leaves. */
export function endUserLeftMessage(
  shapes: ShapeSwitches,
  engagementId: number,
  endUserClientId: number,
): { type: string; body: Record<string, unknown> } {
  if (shapes.endUserLeaves === 'participant-left') {
    return { type: 'ChatParticipantLeftNotification', body: { engagementId, clientId: endUserClientId, role: 'END_USER' } };
  }
  if (shapes.endUserLeaves === 'concluded') {
    return { type: 'ChatEngagementConcludedNotification', body: { engagementId, reason: 'END_USER_LEFT' } };
  }
  return {
    type: 'ChatDisconnectNotification',
    body: disconnectBody(shapes, { engagementId, clientId: endUserClientId, reason: 'PARTICIPANT_LEFT' }),
  };
}

/** A getMessages reply in the configured envelope. */
export function envelope(
  shapes: ShapeSwitches,
  sessionId: string,
  items: { type: string; body: Record<string, unknown> }[],
): Record<string, unknown> {
  if (shapes.envelope === 'reference') return { getResponseTypes: items.map((m) => ({ [m.type]: m.body })) };
  const portal = items.map((m) => ({ ...withEnumObjects(m.body), chatMessageType: m.type }));
  return { responses: [{ getResponseTypes: portal, sessionId, chatMessageType: 'ChatGetResponse' }], chatMessageType: 'ChatMessage' };
}

function withEnumObjects(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => {
      const enumType = ENUM_FIELDS[key];
      return [key, enumType && typeof value === 'string' ? { value, chatMessageType: enumType } : value];
    }),
  );
}
