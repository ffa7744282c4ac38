import { createHash } from 'node:crypto';
import type { InboundEventInput, SenderRole } from '../../src/model/events.js';
import type { UnrecognizedWhat } from '../../src/observability/unrecognized.js';
import type { DropReason } from '../../src/ports/drop-reasons.js';
import {
  AGENT_CONCLUDED,
  type AgentMessage,
  END_USER_ROLE,
  PARTICIPANT_LEFT,
  parseAgentMessage,
  PLATFORM,
  poolOfConfigChange,
  type RawAgentMessage,
} from './wire.js';

/*
 * RightNow inbound. RightNow sends no webhooks, so there is no `verify` here: the poll loop (poller.ts)
 * reads `getMessages` on the agent session the bridge itself opened, and `normalizeBatch` turns each batch
 * into events.
 */

/**
 * One getMessages batch turned into canonical events, plus what the poll loop must do about it
 * (accept offers, conclude and release ended engagements, re-establish the session, follow a pool
 * change, ask for more work). Event ids come from RightNow's own ids, so a batch seen twice yields the
 * same ids (the core dedupes).
 */
export interface InboundBatch {
  events: InboundEventInput[];
  /** Engagement ids offered to us, to accept once their events are ingested. */
  offers: string[];
  /** Engagements that ended (either side): to conclude and release once their events are ingested. */
  ended: string[];
  /** Our own client was disconnected from the session: re-establish it. */
  sessionEnded: boolean;
  pool?: string;
  /** An engagement ended: capacity freed, ask for another assignment. */
  capacityFreed: boolean;
  /** End users' client ids seen in the batch, with their engagement. */
  endUsers: Map<string, string>;
  /** Items not turned into events on purpose (`reason` is a drop reason). */
  ignored: { type: string; reason: DropReason }[];
  /** Items we could not read: perhaps a wrong reading of the vendor format, reported loudly by the poll loop. */
  unreadable: { type: string; what: UnrecognizedWhat; reason: string; payload: Record<string, unknown> }[];
}

export interface InboundContext {
  /** Our agent session's client id. */
  ownClientId?: string;
  /**
   * The agent session's epoch: `logonOverride` restarts the engagement channel sequences at 0, so an id
   * built from a server sequence number carries the session it came from.
   */
  epoch: string;
  /** The engagement of an end user's client id seen before (by any instance). */
  endUserEngagement(clientId: string): Promise<string | undefined>;
}

export async function normalizeBatch(raw: RawAgentMessage[], ctx: InboundContext): Promise<InboundBatch> {
  const batch: InboundBatch = {
    events: [], offers: [], ended: [], sessionEnded: false, capacityFreed: false, endUsers: new Map(), ignored: [], unreadable: [],
  };
  for (const item of raw) {
    const message = parseAgentMessage(item);
    if (!message) batch.unreadable.push({ type: item.type, what: 'type', reason: 'unknown-message-type', payload: item.body });
    else if ('invalid' in message) batch.unreadable.push({ type: item.type, what: 'field', reason: 'unreadable-message', payload: item.body });
    else await apply(batch, message, ctx);
  }
  return batch;
}

async function apply(batch: InboundBatch, message: AgentMessage, ctx: InboundContext): Promise<void> {
  const ignore = (reason: DropReason): void => {
    batch.ignored.push({ type: message.type, reason });
  };
  const unrecognized = (reason: string, what: UnrecognizedWhat = 'field'): void => {
    batch.unreadable.push({ type: message.type, what, reason, payload: message.body });
  };
  const endUserEngagement = async (clientId: string) => batch.endUsers.get(clientId) ?? ctx.endUserEngagement(clientId);
  if (message.type === 'ChatGetTimeout') return;
  if (message.type === 'ChatConfigChangeNotification') {
    const pool = poolOfConfigChange(message.body);
    if (pool) batch.pool = pool;
    else unrecognized('config-change-without-pool');
    return;
  }
  const given = message.body.engagementIdString ?? message.body.engagementId;
  if (message.type === 'ChatDisconnectNotification') {
    const { clientId, reason } = message.body;
    const client = clientId === undefined ? undefined : String(clientId);
    if (reason === AGENT_CONCLUDED && (client === undefined || client === ctx.ownClientId)) {
      // Our own concludeChat coming back; releasing is idempotent, so it is asked for once more.
      batch.capacityFreed = true;
      if (given) batch.ended.push(given);
      return ignore('echo');
    }
    if (client !== undefined && client === ctx.ownClientId) {
      if (!given) {
        batch.sessionEnded = true;
        return;
      }
      return ended(batch, given, 'system', reason, message.body.createdTime);
    }
    const endUsersEngagement = client === undefined ? undefined : await endUserEngagement(client);
    if (endUsersEngagement && (!given || given === endUsersEngagement)) {
      return ended(batch, endUsersEngagement, 'customer', reason, message.body.createdTime);
    }
    if (client === undefined && given) {
      return ended(batch, given, reason === PARTICIPANT_LEFT || /END_USER/.test(reason ?? '') ? 'customer' : 'system', reason, message.body.createdTime);
    }
    // A client we do not know (another agent, or an end user we never saw): not ours to act on.
    return unrecognized('unrecognized-disconnect', 'enum');
  }
  if (!given) return unrecognized('no-engagement-id');
  const engagementId = given;
  const base = {
    origin: { platform: PLATFORM, conversationId: engagementId },
    timestamp: timestampOf(message.body.createdTime),
  };
  const serverRef = serverRefOf(message.type, message.body, ctx.epoch);

  switch (message.type) {
    case 'ChatEngagementAssignmentNotification': {
      const b = message.body;
      const displayName = [b.firstName, b.lastName].filter(Boolean).join(' ') || undefined;
      batch.offers.push(engagementId);
      batch.events.push({
        ...base,
        id: `${PLATFORM}:${engagementId}:offer`,
        kind: 'conversation.started',
        sender: { role: 'customer' },
        customer: {
          ...(b.contactId !== undefined ? { id: String(b.contactId) } : {}),
          firstName: b.firstName,
          lastName: b.lastName,
          displayName,
          email: b.email,
        },
        subject: b.subject,
      });
      return;
    }
    case 'ChatPostMessage': {
      const b = message.body;
      if (!isEndUser(b.senderType, b.senderId, ctx.ownClientId)) return ignore(notEndUser(b.senderId, ctx.ownClientId));
      if (b.senderType === END_USER_ROLE && b.senderId !== undefined) batch.endUsers.set(String(b.senderId), engagementId);
      // The end user's own message id survives a re-logon of ours; a server sequence number does not.
      const messageId = b.messageId ?? serverRef;
      batch.events.push({
        ...base,
        id: `${PLATFORM}:${engagementId}:${messageId}`,
        origin: { ...base.origin, messageId },
        kind: 'message',
        sender: { role: 'customer', ...(b.senderId !== undefined ? { id: String(b.senderId) } : {}), name: b.senderName },
        text: b.body,
        richText: b.richText ?? false,
      });
      return;
    }
    case 'ChatActivitySignal': {
      const b = message.body;
      const sender = b.senderId ?? b.clientId;
      if (!isEndUser(b.senderType, sender, ctx.ownClientId)) return ignore(notEndUser(sender, ctx.ownClientId));
      if (b.senderType === END_USER_ROLE && sender !== undefined) batch.endUsers.set(String(sender), engagementId);
      batch.events.push({
        ...base,
        id: `${PLATFORM}:${engagementId}:${serverRef}`,
        kind: 'typing',
        sender: { role: 'customer' },
        state: b.mode === 'RESPONDING' ? 'start' : 'stop',
      });
      return;
    }
    case 'ChatParticipantLeftNotification': {
      const b = message.body;
      const client = b.clientId !== undefined ? String(b.clientId) : undefined;
      if (client !== undefined && client === ctx.ownClientId) return ignore('echo');
      if (b.role === END_USER_ROLE || (client !== undefined && (await endUserEngagement(client)) === engagementId)) {
        return ended(batch, engagementId, 'customer', b.reason, b.createdTime);
      }
      if (!b.role) return unrecognized('unrecognized-participant');
      // Another agent (conferee, supervisor) leaving: the conversation goes on.
      const who = client ?? b.role;
      batch.events.push({
        ...base,
        id: `${PLATFORM}:${engagementId}:left-${who}`,
        kind: 'participant.left',
        sender: { role: 'agent' },
        participant: { id: who, role: 'agent' },
        reason: b.reason,
      });
      return;
    }
    case 'ChatEngagementConcludedNotification': {
      if (message.body.reason === AGENT_CONCLUDED) {
        batch.capacityFreed = true;
        batch.ended.push(engagementId);
        return ignore('echo');
      }
      // Only the end user or we end an engagement, and ours is the AGENT_CONCLUDED above.
      return ended(batch, engagementId, 'customer', message.body.reason, message.body.createdTime);
    }
  }
}

/** The engagement is over: one `conversation.ended` (whatever told us), and its slot to be given back. */
function ended(batch: InboundBatch, engagementId: string, endedBy: SenderRole, reason: string | undefined, createdTime: number | string | undefined): void {
  batch.capacityFreed = true;
  if (!batch.ended.includes(engagementId)) batch.ended.push(engagementId);
  if (batch.events.some((e) => e.id === `${PLATFORM}:${engagementId}:ended`)) return;
  batch.events.push({
    id: `${PLATFORM}:${engagementId}:ended`,
    kind: 'conversation.ended',
    origin: { platform: PLATFORM, conversationId: engagementId },
    timestamp: timestampOf(createdTime),
    sender: { role: endedBy },
    endedBy,
    reason,
  });
}

/** Why a post or signal not from the end user is ignored: ours coming back, or another agent's. */
function notEndUser(senderId: number | undefined, ownClientId: string | undefined): DropReason {
  return senderId !== undefined && ownClientId !== undefined && String(senderId) === ownClientId ? 'echo' : 'other-participant';
}

function isEndUser(senderType: string | undefined, senderId: number | undefined, ownClientId: string | undefined): boolean {
  if (senderId !== undefined && ownClientId !== undefined && String(senderId) === ownClientId) return false;
  return senderType === undefined || senderType === END_USER_ROLE;
}

/**
 * A server-side reference for a message: the session epoch and the channel sequence number (plus the
 * creation time, when given, in case a session replays what an earlier one numbered), else a digest.
 */
function serverRefOf(type: string, body: { sequenceNumber?: number; createdTime?: number | string }, epoch: string): string {
  if (body.sequenceNumber === undefined) return `h-${digest(type, body)}`;
  const created = millisOf(body.createdTime);
  return `seq-${epoch}.${body.sequenceNumber}${created === undefined ? '' : `@${created}`}`;
}

function millisOf(created: number | string | undefined): number | undefined {
  const ms = typeof created === 'number' ? created : typeof created === 'string' ? Date.parse(created) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function timestampOf(created: number | string | undefined): string {
  const ms = millisOf(created);
  return new Date(ms ?? Date.now()).toISOString();
}

/** A stable id for a message that carries neither a message id nor a sequence number. */
function digest(type: string, body: object): string {
  return createHash('sha256').update(type).update(JSON.stringify(body)).digest('hex').slice(0, 24);
}
