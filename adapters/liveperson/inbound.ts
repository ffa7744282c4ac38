import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { AuthenticationError, BatchTooLargeError, PayloadError, zodDetails } from '../../src/errors.js';
import type { InboundEventInput } from '../../src/model/events.js';
import type { ConnectorRuntime, RawInbound } from '../../src/ports/adapter.js';
import type { DropReason } from '../../src/ports/drop-reasons.js';
import { problemsDetail, type UnrecognizedWhat } from '../../src/observability/unrecognized.js';
import { richMessageBody } from '../../src/model/rich-text.js';
import type { LivePersonConfig } from './config.js';
import { ConversationChanges } from './conversation-changes.js';
import type { LivePersonConversationState } from './conversation-state.js';
import { quickRepliesOf, structuredContentOf } from './rich-content.js';
import type { SequenceGaps } from './sequence-gaps.js';
import {
  AGENT_ROLES,
  CONTENT_EVENT_TYPES,
  ExConversationChange,
  KNOWN_ACCEPT_STATUSES,
  KNOWN_CHAT_STATES,
  KNOWN_CONTENT_TYPES,
  KNOWN_EVENT_TYPES,
  KNOWN_NOTIFICATIONS,
  KNOWN_ROLES,
  livePersonSignature,
  MessagingChange,
  Notification,
  PLATFORM,
  PUBLIC_AUDIENCE,
  SIGNATURE_HEADER,
} from './wire.js';

/**
 * Changes taken from one notification. LivePerson batches a few changes per notification; thousands
 * in one signed request would hold the event loop for everyone else, so such a request is refused
 * whole (413) rather than cut, like eGain's 100 messages per callback.
 */
export const MAX_CHANGES = 500;

function header(req: RawInbound, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** LivePerson webhooks -> canonical events. Every change of a notification counts, not just the first. */
export class LivePersonInbound {
  private readonly changes: ConversationChanges;

  constructor(
    private readonly runtime: ConnectorRuntime,
    private readonly config: LivePersonConfig,
    states: LivePersonConversationState,
    private readonly gaps: SequenceGaps,
  ) {
    this.changes = new ConversationChanges(runtime, states);
  }

  /**
   * Checks `X-Liveperson-Signature` over the raw bytes (never a re-serialisation: that is what breaks on
   * emoji) in constant time, with the tenant's client secret, then the account the webhook claims to be for.
   */
  verify(req: RawInbound): void {
    const given = header(req, 'x-liveperson-signature')?.trim();
    const match = given ? SIGNATURE_HEADER.exec(given) : null;
    if (!given || !match) throw new AuthenticationError('missing or malformed X-Liveperson-Signature');
    const expected = Buffer.from(livePersonSignature(this.config.clientSecret, req.rawBody, match[1] as 'sha1' | 'sha256'));
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new AuthenticationError('bad X-Liveperson-Signature');
    }
    if (header(req, 'x-liveperson-account-id') !== this.config.accountId) {
      throw new AuthenticationError('X-Liveperson-Account-Id does not match the tenant');
    }
  }

  async normalize(body: unknown): Promise<InboundEventInput[]> {
    const envelope = Notification.safeParse(body);
    if (!envelope.success) {
      const found = zodDetails(envelope.error, ['body']);
      this.unrecognized('envelope', `answered 400: ${problemsDetail(found)}`, body);
      throw new PayloadError('not a LivePerson notification', found);
    }
    const { type, body: { changes } } = envelope.data;
    if (changes.length > MAX_CHANGES) throw new BatchTooLargeError('body.changes', changes.length, MAX_CHANGES);
    if (!KNOWN_NOTIFICATIONS.has(type)) {
      this.unrecognized('type', `notification type ${type}`, body);
      return [];
    }
    const events: InboundEventInput[] = [];
    for (const raw of changes) {
      // One malformed change must not sink the others: refusing the webhook would only make LivePerson
      // redeliver the same batch until it gives up.
      if (type === 'ms.MessagingEventNotification') {
        const change = MessagingChange.safeParse(raw);
        // Every numbered change counts for loss detection, also those dropped below (echoes, private notes).
        if (change.success && change.data.sequence !== undefined) {
          void this.gaps.seen(change.data.conversationId ?? change.data.dialogId, change.data.dialogId, change.data.sequence);
        }
        const event = change.success ? await this.messaging(change.data) : this.malformed(type, change.error, raw);
        if (event) events.push(event);
      } else {
        const change = ExConversationChange.safeParse(raw);
        if (change.success) events.push(...(await this.changes.normalize(change.data)));
        else this.malformed(type, change.error, raw);
      }
    }
    return events;
  }

  private async messaging(change: MessagingChange): Promise<InboundEventInput | undefined> {
    const type = change.event.type;
    const role = change.originatorMetadata?.role;
    const audience = change.messageAudience;
    if (role === 'CONSUMER') return this.drop(type, 'echo');
    if (!KNOWN_EVENT_TYPES.has(type)) return this.unrecognized('type', `event type ${type}`, change);
    if (role === undefined) return this.unrecognized('field', `${type} without originatorMetadata.role`, change);
    if (!KNOWN_ROLES.has(role)) return this.unrecognized('enum', `${type} from role ${role}`, change);
    if (CONTENT_EVENT_TYPES.has(type) ? audience !== PUBLIC_AUDIENCE : audience !== undefined && audience !== PUBLIC_AUDIENCE) {
      return this.drop(type, 'private');
    }
    if (!AGENT_ROLES.has(role)) return this.drop(type, 'other-participant');
    const base = {
      origin: { platform: PLATFORM, conversationId: change.conversationId ?? change.dialogId },
      sender: { role: 'agent' as const, id: change.originatorMetadata?.id ?? change.originatorId },
      timestamp: new Date(change.serverTimestamp ?? Date.now()).toISOString(),
    };
    switch (type) {
      case 'ContentEvent':
        return this.content(change, base);
      case 'RichContentEvent':
        return this.richContent(change, base);
      case 'ChatStateEvent': {
        const state = String(change.event.chatState ?? '');
        if (!KNOWN_CHAT_STATES.has(state)) return this.unrecognized('enum', `ChatStateEvent chatState ${state || '(none)'}`, change);
        // ChatState events have no sequence and often no timestamp: they are lossy, so a fresh id is fine.
        const id = change.serverTimestamp === undefined ? randomUUID() : `${change.serverTimestamp}:${state}`;
        return { ...base, id: `${PLATFORM}:${change.dialogId}:chat:${id}`, kind: 'typing', state: state === 'COMPOSING' ? 'start' : 'stop' };
      }
      case 'AcceptStatusEvent':
        return this.accept(change, base);
      default:
        return this.drop(type, 'not-carried');
    }
  }

  private content(change: MessagingChange, base: Omit<InboundEventInput, 'id' | 'kind'>): InboundEventInput | undefined {
    if (change.sequence === undefined) return this.unrecognized('field', 'ContentEvent without sequence', change);
    const nativeId = `${change.dialogId}:${change.sequence}`;
    const common = { ...base, id: `${PLATFORM}:${nativeId}`, origin: { ...base.origin, messageId: nativeId } };
    const { contentType, message } = change.event as { contentType?: unknown; message?: unknown };
    if (contentType === 'text/plain' && typeof message === 'string') {
      const { quickReplies } = change.event as { quickReplies?: unknown };
      const rich = quickRepliesOf(message, quickReplies);
      if (quickReplies !== undefined && !rich) this.runtime.unrecognized('field', 'ContentEvent quickReplies without readable replies', change.event);
      return rich ? { ...common, kind: 'message', ...richMessageBody(rich) } : { ...common, kind: 'message', text: message };
    }
    if (contentType === 'hosted/file' && message && typeof message === 'object') {
      const file = message as { caption?: unknown; relativePath?: unknown; fileType?: unknown };
      const path = String(file.relativePath ?? '');
      return {
        ...common,
        kind: 'message',
        text: typeof file.caption === 'string' ? file.caption : '',
        attachments: [
          {
            name: path.split('/').pop() || 'file',
            contentType: `image/${String(file.fileType ?? 'png').toLowerCase()}`,
            size: 0,
            nativeId: path.slice(0, 256),
          },
        ],
      };
    }
    if (!KNOWN_CONTENT_TYPES.has(String(contentType))) return this.unrecognized('enum', `ContentEvent contentType ${String(contentType)}`, change);
    return this.unrecognized('field', `ContentEvent ${String(contentType)} with a message of type ${typeof message}`, change);
  }

  /** Structured content (cards, lists, carousels) as canonical rich content; text alone as a message. */
  private richContent(change: MessagingChange, base: Omit<InboundEventInput, 'id' | 'kind'>): InboundEventInput | undefined {
    if (change.sequence === undefined) return this.unrecognized('field', 'RichContentEvent without sequence', change);
    const nativeId = `${change.dialogId}:${change.sequence}`;
    const common = { ...base, id: `${PLATFORM}:${nativeId}`, origin: { ...base.origin, messageId: nativeId } };
    const read = structuredContentOf((change.event as { content?: unknown }).content);
    if (!read) {
      this.runtime.unrecognized('field', 'RichContentEvent content with no text, image or button', change.event);
      return undefined;
    }
    return 'type' in read ? { ...common, kind: 'message', ...richMessageBody(read) } : { ...common, kind: 'message', text: read.text };
  }

  private async accept(change: MessagingChange, base: Omit<InboundEventInput, 'id' | 'kind'>): Promise<InboundEventInput | undefined> {
    const { status, sequenceList } = change.event as { status?: unknown; sequenceList?: unknown };
    if (!KNOWN_ACCEPT_STATUSES.has(String(status))) return this.unrecognized('enum', `AcceptStatusEvent status ${String(status)}`, change);
    if (status !== 'ACCEPT' && status !== 'READ') return this.drop('AcceptStatusEvent', 'not-carried');
    const sequences = Array.isArray(sequenceList) ? sequenceList.filter((s): s is number => Number.isInteger(s)) : [];
    const ids: string[] = [];
    for (const seq of sequences) {
      const id = await this.runtime.store.findMessage(this.runtime.tenantId, PLATFORM, `${change.dialogId}:${seq}`);
      if (id) ids.push(id);
    }
    if (ids.length === 0) return this.drop('AcceptStatusEvent', 'unknown-messages');
    const key = change.sequence ?? `accept:${status}:${sequences.join('.')}`;
    return {
      ...base,
      id: `${PLATFORM}:${change.dialogId}:${key}`,
      kind: 'receipt',
      status: status === 'READ' ? 'read' : 'delivered',
      messageIds: ids,
    };
  }

  private malformed(type: string, error: z.ZodError, raw: unknown): undefined {
    return this.unrecognized('field', `${type} change: ${problemsDetail(zodDetails(error, ['change']))}`, raw);
  }

  /** A wrong reading of LivePerson's format must be loud (counted, logged by shape, sampled), never a quiet drop. */
  private unrecognized(what: UnrecognizedWhat, detail: string, payload: unknown): undefined {
    this.runtime.unrecognized(what, detail, payload);
    return undefined;
  }

  /** A LivePerson event that becomes no canonical event: its type is logged, the kind label is `vendor`. */
  private drop(type: string, reason: DropReason): undefined {
    this.runtime.drop('vendor', reason, { type });
    return undefined;
  }
}
