import { createRemoteJWKSet, jwtVerify } from 'jose';
import { sameSecret } from '../../src/auth/same-secret.js';
import { AuthenticationError, PayloadError } from '../../src/errors.js';
import type { Attachment, InboundEventInput, SenderRole } from '../../src/model/events.js';
import type { ConnectorRuntime, RawInbound } from '../../src/ports/adapter.js';
import type { ChannelDirectory } from './channels.js';
import type { CallbackAuthConfig } from './config.js';
import { problemsDetail } from '../../src/observability/unrecognized.js';
import { type Problem, type ReadMessage, readEnvelope, readMessage } from './callback-reader.js';
import { type CallbackMessage, type ClientType, PLATFORM } from './wire.js';
import { readChoice, readRichMessage } from './rich-content.js';
import type { RichContentInput } from '../../src/model/rich.js';

function roleOf(type: ClientType): SenderRole {
  if (type === 'customer') return 'customer';
  if (type === 'egain_bot' || type === 'custom_bot') return 'bot';
  return 'agent';
}

/** Types the Hub documents that the canonical model does not carry: dropped (`not-carried`), with why in the log. */
const NOT_CARRIED: Record<string, string> = {
  'customer.active': 'no canonical presence event',
  'customer.inactive': 'no canonical presence event',
  'conversation.state': 'eGain-internal conversation state',
  'agent.available': 'agent availability is not a conversation event',
  'agent.unavailable': 'agent availability is not a conversation event',
  'escalation.transfer': 'a bot escalation is routed inside eGain',
  pagePush: 'no canonical page push',
  'authentication.success': 'mid-chat authentication stays in eGain',
  'authentication.failure': 'mid-chat authentication stays in eGain',
  error: 'eGain error notices are not relayed',
  'delete.soft': 'no canonical message deletion',
  'delete.permanent': 'no canonical message deletion',
  undo: 'no canonical undo',
};

/**
 * Hub callback body -> canonical events; one callback may carry several messages. A conversation the
 * bridge does not know yet starts with `conversation.started` carrying the customer fields the
 * callback has, so the agent side learns who it is talking to before the first message.
 */
export class EgainInbound {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  private readonly secret: Uint8Array | undefined;

  constructor(
    private readonly runtime: ConnectorRuntime,
    private readonly auth: CallbackAuthConfig,
    private readonly channels: ChannelDirectory,
  ) {
    this.jwks = auth.type === 'jwt' && auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
    this.secret = auth.type === 'jwt' && auth.secret ? new TextEncoder().encode(auth.secret) : undefined;
  }

  /**
   * Authenticates a Hub callback the way the tenant registered it with eGain's Authentication API: Basic
   * credentials, or an OAuth bearer JWT checked against the issuer's JWKS or a shared HS256 secret.
   */
  async verify(req: RawInbound): Promise<void> {
    const { auth } = this;
    const header = req.headers.authorization;
    if (typeof header !== 'string') throw new AuthenticationError('missing Authorization header');
    const [scheme, credential = ''] = header.split(/\s+/, 2);
    if (auth.type === 'basic') {
      if (scheme?.toLowerCase() !== 'basic') throw new AuthenticationError('Basic authentication expected');
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const ok = sameSecret(decoded, `${auth.username}:${auth.password}`);
      if (!ok) throw new AuthenticationError('invalid credentials');
      return;
    }
    if (scheme?.toLowerCase() !== 'bearer' || credential === '') throw new AuthenticationError('Bearer token expected');
    const options = { issuer: auth.issuer, audience: auth.audience };
    try {
      if (this.jwks) await jwtVerify(credential, this.jwks, options);
      else await jwtVerify(credential, this.secret!, { ...options, algorithms: ['HS256'] });
    } catch {
      // An expired token is answered 401 too: the Hub then fetches a fresh one (eGain's callback contract).
      throw new AuthenticationError('invalid or expired bearer token');
    }
  }

  async normalize(body: unknown): Promise<InboundEventInput[]> {
    const envelope = readEnvelope(body);
    if (Array.isArray(envelope)) {
      this.unrecognized('envelope', body, envelope);
      throw new PayloadError('not an eGain callback body', envelope);
    }
    const events: InboundEventInput[] = [];
    const unreadable: Problem[] = [];
    const made = new Map<string, InboundEventInput | undefined>();
    const channelOf = new Map<string, string>();
    for (const [index, raw] of envelope.messages.entries()) {
      const read = readMessage(raw, index, envelope.metadata);
      if (Array.isArray(read)) {
        unreadable.push(...read);
        continue;
      }
      const { message: m, conversationId } = read;
      const eventId = `${PLATFORM}:${conversationId}:${m.id}`;
      if (made.has(eventId)) {
        // A message repeated within the callback goes to the core again as it is: its dedupe drops and
        // counts it, as for any redelivery. It is read only once (a drop or sample is reported once).
        const repeat = made.get(eventId);
        if (repeat) events.push(repeat);
        continue;
      }
      made.set(eventId, undefined);
      // A message we received links to the event made from it: a redelivery, for the queue's dedupe
      // to count. Only a link to another event is a message the bridge itself sent.
      const linked = await this.runtime.store.findMessage(this.runtime.tenantId, PLATFORM, m.id);
      if (linked !== undefined && linked !== eventId) {
        this.runtime.drop('vendor', 'echo', { type: m.type.value, messageId: m.id });
        continue;
      }
      if (read.channelType) channelOf.set(conversationId, read.channelType);
      const event = await this.toEvent(read, eventId);
      if (!event) continue;
      made.set(eventId, event);
      if (!events.some((e) => e.origin.conversationId === conversationId)) {
        const started = await this.startedIfNew(read);
        if (started) events.push(started);
      }
      events.push(event);
    }
    for (const [conversationId, type] of channelOf) await this.channels.remember(conversationId, type);
    if (unreadable.length > 0) {
      this.unrecognized('field', body, unreadable);
      // What could be read is kept: a Hub that redelivers the callback finds it deduplicated.
      if (events.length > 0) await this.runtime.ingest(events);
      throw new PayloadError('the callback has messages chatbridge cannot read', unreadable);
    }
    return events;
  }

  /** A wrong guess about eGain's callback format must be loud: counted, logged by shape, sampled (masked). */
  private unrecognized(what: 'envelope' | 'field', body: unknown, problems: Problem[]): void {
    const detail = `answered 400: ${problemsDetail(problems)}`;
    this.runtime.unrecognized(what, detail, body);
  }

  private async startedIfNew(read: ReadMessage): Promise<InboundEventInput | undefined> {
    if (await this.runtime.store.resolveConversation(this.runtime.tenantId, PLATFORM, read.conversationId)) return undefined;
    return {
      id: `${PLATFORM}:${read.conversationId}:started`,
      kind: 'conversation.started',
      origin: { platform: PLATFORM, conversationId: read.conversationId },
      sender: { role: 'customer' },
      timestamp: read.message.created ?? new Date().toISOString(),
      customer: read.customer,
    };
  }

  private async toEvent(read: ReadMessage, id: string): Promise<InboundEventInput | undefined> {
    const { message: m, conversationId } = read;
    const type = m.type.value;
    const participant = m.sender.participant;
    const base = {
      id,
      origin: { platform: PLATFORM, conversationId, messageId: m.id },
      sender: { role: roleOf(m.sender.type), id: participant?.id, name: participant?.name },
      timestamp: m.created ?? new Date().toISOString(),
    };
    switch (type) {
      case 'text':
        return { ...base, kind: 'message', text: m.content?.text ?? '', richText: m.content?.format === 'html', attachments: attachmentsOf(m) };
      case 'typing.start':
      case 'typing.end':
        return { ...base, kind: 'typing', state: type === 'typing.start' ? 'start' : 'stop' };
      case 'conversation.end':
        return { ...base, kind: 'conversation.ended', endedBy: base.sender.role };
      case 'customer.info':
        return { ...base, kind: 'customer.info', customer: read.customer };
      case 'agent.join':
      case 'agent.transfer':
        return {
          ...base,
          kind: 'participant.joined',
          participant: { id: participant?.id ?? participant?.name ?? m.sender.type, name: participant?.name, role: base.sender.role },
          transfer: type === 'agent.transfer',
        };
      case 'queue.transfer':
        return {
          ...base,
          kind: 'participant.left',
          participant: { id: participant?.id ?? participant?.name ?? m.sender.type, name: participant?.name, role: base.sender.role },
          reason: 'transferred to a queue',
        };
    }
    if (type.startsWith('richMessage.')) {
      const body = richBody(type.slice('richMessage.'.length), m);
      if (body) return { ...base, kind: 'message', ...body };
    }
    const notCarried = NOT_CARRIED[type];
    if (notCarried) this.runtime.drop('vendor', 'not-carried', { type, detail: notCarried, messageId: m.id });
    else if (type.startsWith('richMessage.')) this.runtime.drop('vendor', 'empty-message', { type, detail: 'a rich message without text', messageId: m.id });
    else this.runtime.unrecognized('type', `message type ${type}`, m);
    return undefined;
  }
}

/**
 * A rich message as canonical content with its text; a customer's (a relayed answer) as the text of
 * the choice; a type we do not map, or one we cannot read, as its `content.text`.
 */
function richBody(subtype: string, m: CallbackMessage): { text: string; rich?: RichContentInput } | undefined {
  const content = m.content as Record<string, unknown> | undefined;
  if (m.sender.type === 'customer') {
    const choice = readChoice(content);
    return choice ? { text: choice } : undefined;
  }
  return readRichMessage(subtype, content) ?? (m.content?.text ? { text: m.content.text } : undefined);
}

/**
 * The callback names each file by asset id only (wire.ts). Its name, type, size and a signed URL come from
 * `GET /assets/{id}`, which the core asks through `resolveFile` at delivery: never here, where the Hub
 * waits at most 5 s for our answer, and never ahead of time, because the signed URL expires. Until then
 * the asset id stands in for the name.
 */
function attachmentsOf(m: CallbackMessage): Attachment[] {
  return (m.content?.attachments?.attachment ?? []).map((ref) => ({ name: ref.id, contentType: 'application/octet-stream', size: 0, nativeId: ref.id }));
}
