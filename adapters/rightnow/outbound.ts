import { hash } from 'node:crypto';
import { PermanentError } from '../../src/errors.js';
import { attachmentLine } from '../../src/model/attachment-text.js';
import type { EventKind, EventOfKind } from '../../src/model/events.js';
import type { OutboundHandler, OutboundHandlers, SendResult } from '../../src/ports/adapter.js';
import type { RightNowConfig } from './config.js';
import type { EngagementRelease } from './engagement-release.js';
import type { AgentSession } from './session.js';
import { MESSAGE_ID_MAX } from './wire-requests.js';

export interface RightNowOutboundDeps {
  session: AgentSession;
  config: RightNowConfig;
  release: EngagementRelease;
}

/** A handler for an event in the conversation's engagement, which RightNow needs for every call. */
type InEngagement<K extends EventKind> = (event: EventOfKind<K>, engagementId: number, engagement: string) => Promise<SendResult>;

/**
 * Canonical events -> the agent API, for the engagement the conversation is linked to. RightNow is
 * always the customer side, so the engagement id is known from the inbound offer. The agent side's
 * receipts, participants leaving, profiles and starts have nothing to say to an end user: no handler.
 */
export class RightNowOutbound {
  constructor(private readonly deps: RightNowOutboundDeps) {}

  readonly handlers: OutboundHandlers = {
    message: inEngagement(async (event, engagementId) => {
      const body = messageText(event);
      if (body === undefined) return { status: 'dropped', reason: 'empty-message' };
      return post(this.deps.session, engagementId, event.id, body, event.richText);
    }),
    'participant.joined': inEngagement(async (event, engagementId) => {
      const text = this.deps.config.agentJoinedText;
      if (!text) return { status: 'dropped', reason: 'not-configured', detail: 'agentJoinedText' };
      return post(this.deps.session, engagementId, event.id, text, false);
    }),
    typing: inEngagement(async (event, engagementId) => {
      const state = await this.deps.session.get();
      if (!state.clientId) return { status: 'dropped', reason: 'session-not-ready', detail: 'agent client id unknown for setInteractionStatus' };
      await this.deps.session.call('setInteractionStatus', {
        clientId: Number(state.clientId),
        engagementId,
        mode: event.state === 'start' ? 'RESPONDING' : 'LISTENING',
      });
      return { status: 'sent' };
    }),
    // Concluded and released, so the slot is free for the next chat; done already when the end user left first.
    'conversation.ended': inEngagement(async (_event, _engagementId, engagement) =>
      (await this.deps.release.release(engagement)) === 'released'
        ? { status: 'sent' }
        : { status: 'dropped', reason: 'already-ended', detail: 'engagement already released' },
    ),
  };
}

function inEngagement<K extends EventKind>(send: InEngagement<K>): OutboundHandler<K> {
  return async (event, ctx) => {
    const engagement = ctx.conversation.nativeId();
    if (!engagement) return { status: 'dropped', reason: 'no-native-conversation', detail: 'no rightnow engagement linked to the conversation' };
    const engagementId = Number(engagement);
    if (!Number.isSafeInteger(engagementId)) throw new PermanentError('rightnow engagement id is not an int64 we can send');
    return send(event, engagementId, engagement);
  };
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
  return { status: 'sent', nativeMessageIds: [messageId] };
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
  return `cb-${hash('sha256', eventId, 'hex').slice(0, 40)}`;
}
