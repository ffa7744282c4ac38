import { createHash } from 'node:crypto';
import type { InboundEventInput, SenderRole } from '../../src/model/events.js';
import { type AgentMessage, parseAgentMessage, type RawAgentMessage } from './wire.js';

/**
 * One getMessages batch turned into canonical events, plus what the poll loop must do about it
 * (accept offers, re-establish the session, follow a pool change, ask for more work).
 * Event ids come from RightNow's own ids, so a batch seen twice yields the same ids (the core dedupes).
 */
export interface InboundBatch {
  events: InboundEventInput[];
  /** Engagement ids offered to us, to accept once their events are ingested. */
  offers: string[];
  /** The server ended our agent session (ChatDisconnectNotification without an engagement). */
  sessionEnded: boolean;
  pool?: string;
  /** An engagement ended: capacity freed, ask for another assignment. */
  capacityFreed: boolean;
  ignored: { type: string; reason: string }[];
}

const PLATFORM = 'rightnow';

export function normalizeBatch(raw: RawAgentMessage[], ownClientId: string | undefined): InboundBatch {
  const batch: InboundBatch = { events: [], offers: [], sessionEnded: false, capacityFreed: false, ignored: [] };
  for (const item of raw) {
    const message = parseAgentMessage(item);
    if (!message) batch.ignored.push({ type: item.type, reason: 'unknown-message-type' });
    else if ('invalid' in message) batch.ignored.push({ type: item.type, reason: 'unreadable-message' });
    else apply(batch, message, ownClientId);
  }
  return batch;
}

function apply(batch: InboundBatch, message: AgentMessage, ownClientId: string | undefined): void {
  const ignore = (reason: string): void => {
    batch.ignored.push({ type: message.type, reason });
  };
  if (message.type === 'ChatGetTimeout') return;
  if (message.type === 'ChatConfigChangeNotification') {
    const pool = message.body.pool ?? message.body.poolId;
    if (pool) batch.pool = pool;
    return;
  }
  const engagementId = message.body.engagementIdString ?? message.body.engagementId;
  if (message.type === 'ChatDisconnectNotification' && !engagementId) {
    batch.sessionEnded = true;
    return;
  }
  if (!engagementId) return ignore('no-engagement-id');
  const base = {
    origin: { platform: PLATFORM, conversationId: engagementId },
    timestamp: timestampOf(message.body.createdTime),
  };
  const seqId = (suffix?: string) =>
    `${PLATFORM}:${engagementId}:${message.body.sequenceNumber !== undefined ? `seq-${message.body.sequenceNumber}` : `h-${digest(message.type, message.body)}`}${suffix ?? ''}`;

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
      if (!isEndUser(b.senderType, b.senderId, ownClientId)) return ignore('not-an-end-user-post');
      const messageId = b.messageId ?? (b.sequenceNumber !== undefined ? `seq-${b.sequenceNumber}` : undefined);
      batch.events.push({
        ...base,
        id: messageId ? `${PLATFORM}:${engagementId}:${messageId}` : seqId(),
        origin: { ...base.origin, ...(messageId ? { messageId } : {}) },
        kind: 'message',
        sender: { role: 'customer', ...(b.senderId !== undefined ? { id: String(b.senderId) } : {}), name: b.senderName },
        text: b.body,
        richText: b.richText ?? false,
      });
      return;
    }
    case 'ChatActivitySignal': {
      const b = message.body;
      if (!isEndUser(b.senderType, b.senderId ?? b.clientId, ownClientId)) return ignore('not-end-user-activity');
      batch.events.push({
        ...base,
        id: seqId(),
        kind: 'typing',
        sender: { role: 'customer' },
        state: b.mode === 'RESPONDING' ? 'start' : 'stop',
      });
      return;
    }
    case 'ChatParticipantLeftNotification': {
      const b = message.body;
      const who = b.clientId !== undefined ? String(b.clientId) : (b.role ?? 'participant');
      if (who === ownClientId) return ignore('own-leave');
      const role: SenderRole = !b.role || b.role === 'END_USER' || b.role === 'LEAD' ? 'customer' : 'agent';
      batch.events.push({
        ...base,
        id: `${PLATFORM}:${engagementId}:left-${who}`,
        kind: 'participant.left',
        sender: { role },
        participant: { id: who, role },
        reason: b.reason,
      });
      return;
    }
    case 'ChatEngagementConcludedNotification':
    case 'ChatDisconnectNotification': {
      const reason = message.body.reason;
      batch.capacityFreed = true;
      // Our own concludeChat coming back: the other side ended it already.
      if (reason === 'AGENT_CONCLUDED') return ignore('own-conclusion');
      const endedBy: SenderRole = reason && /END_USER|CUSTOMER|USER/.test(reason) ? 'customer' : 'system';
      batch.events.push({
        ...base,
        id: `${PLATFORM}:${engagementId}:ended`,
        kind: 'conversation.ended',
        sender: { role: endedBy },
        endedBy,
        reason,
      });
      return;
    }
  }
}

function isEndUser(senderType: string | undefined, senderId: number | undefined, ownClientId: string | undefined): boolean {
  if (senderId !== undefined && ownClientId !== undefined && String(senderId) === ownClientId) return false;
  return senderType === undefined || senderType === 'END_USER';
}

function timestampOf(created: number | string | undefined): string {
  const ms = typeof created === 'number' ? created : typeof created === 'string' ? Date.parse(created) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : new Date().toISOString();
}

/** A stable id for a message that carries neither a message id nor a sequence number. */
function digest(type: string, body: Record<string, unknown>): string {
  return createHash('sha256').update(type).update(JSON.stringify(body)).digest('hex').slice(0, 24);
}
