import { createHash } from 'node:crypto';
import { PermanentError } from '../../src/errors.js';
import { attachmentLine } from '../../src/model/attachment-text.js';
import type { ConversationEvent, EventOfKind } from '../../src/model/events.js';
import type { DeliveryContext, SendResult } from '../../src/platform/adapter.js';
import type { RightNowConfig } from './config.js';
import type { EngagementRelease } from './engagement-release.js';
import type { AgentSession } from './session.js';
import { MESSAGE_ID_MAX } from './wire-requests.js';

/**
 * Canonical events -> the agent API, for the engagement the conversation is linked to. RightNow is
 * always the customer side, so the engagement id is known from the inbound offer.
 */
export async function sendToRightNow(
  event: ConversationEvent,
  ctx: DeliveryContext,
  deps: { session: AgentSession; config: RightNowConfig; release: EngagementRelease },
): Promise<SendResult> {
  const engagement = ctx.conversation.nativeId();
  if (!engagement) return { status: 'dropped', reason: 'no rightnow engagement linked to the conversation' };
  const engagementId = Number(engagement);
  if (!Number.isSafeInteger(engagementId)) throw new PermanentError('rightnow engagement id is not an int64 we can send');

  switch (event.kind) {
    case 'message': {
      const body = messageText(event);
      if (body === undefined) return { status: 'dropped', reason: 'empty-message' };
      return post(deps.session, engagementId, event.id, body, event.richText);
    }
    case 'participant.joined':
      if (!deps.config.agentJoinedText) return { status: 'dropped', reason: 'agentJoinedText is not configured' };
      return post(deps.session, engagementId, event.id, deps.config.agentJoinedText, false);
    case 'typing': {
      const state = await deps.session.get();
      if (!state.clientId) return { status: 'dropped', reason: 'agent client id unknown for setInteractionStatus' };
      await deps.session.call('setInteractionStatus', {
        clientId: Number(state.clientId),
        engagementId,
        mode: event.state === 'start' ? 'RESPONDING' : 'LISTENING',
      });
      return { status: 'sent' };
    }
    case 'conversation.ended':
      // Concluded and released, so the slot is free for the next chat; done already when the end user left first.
      return (await deps.release.release(engagement)) === 'released'
        ? { status: 'sent' }
        : { status: 'dropped', reason: 'engagement already released' };
    default:
      return { status: 'dropped', reason: `rightnow has no agent-side ${event.kind}` };
  }
}

/** `NOT_ENDUSER`: seen by the engagement's agents only (a hand-back summary). */
export async function post(
  session: AgentSession,
  engagementId: number,
  eventId: string,
  body: string,
  richText: boolean,
  visibility: 'ALL' | 'NOT_ENDUSER' = 'ALL',
): Promise<SendResult> {
  const messageId = messageIdFor(eventId);
  await session.call('postMessage', {
    body,
    destinationId: engagementId,
    destinationType: 'ENGAGEMENT',
    messageType: 'TEXT',
    messageId,
    richText,
    visibility,
    messageDataMap: { chatbridgeEventId: eventId },
  });
  return { status: 'sent', nativeMessageId: messageId };
}

/** The text to post, with a line per attachment (agent posts are text only); undefined when nothing can be said. */
export function messageText(event: EventOfKind<'message'>): string | undefined {
  const links = event.attachments.map(attachmentLine);
  const parts = [event.text, ...links].filter((p) => p.length > 0);
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** The canonical event id when it fits RightNow's messageId, else a stable digest of it. */
export function messageIdFor(eventId: string): string {
  if (eventId.length <= MESSAGE_ID_MAX && /^[\w.:-]+$/.test(eventId)) return eventId;
  return `cb-${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}`;
}
