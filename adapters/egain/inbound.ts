import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AuthenticationError, PayloadError } from '../../src/errors.js';
import type { Attachment, InboundEventInput, SenderRole } from '../../src/model/events.js';
import type { PlatformRuntime, RawInbound } from '../../src/platform/adapter.js';
import type { ChannelDirectory } from './channels.js';
import type { CallbackAuthConfig } from './config.js';
import { CallbackMessage, CallbackPayload, type ClientType } from './wire.js';

const PLATFORM = 'egain';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Equal-length digests, so neither length nor content leaks through timing. */
function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Authenticates a Hub callback the way the tenant registered it with eGain's Authentication API: Basic
 * credentials, or an OAuth bearer JWT checked against the issuer's JWKS or a shared HS256 secret.
 */
export function createVerifier(auth: CallbackAuthConfig): (req: RawInbound) => Promise<void> {
  const jwks = auth.type === 'jwt' && auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  const secret = auth.type === 'jwt' && auth.secret ? new TextEncoder().encode(auth.secret) : undefined;
  return async (req) => {
    const header = req.headers.authorization;
    if (typeof header !== 'string') throw new AuthenticationError('missing Authorization header');
    const [scheme, credential = ''] = header.split(/\s+/, 2);
    if (auth.type === 'basic') {
      if (scheme?.toLowerCase() !== 'basic') throw new AuthenticationError('Basic authentication expected');
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const ok = safeEqual(decoded, `${auth.username}:${auth.password}`);
      if (!ok) throw new AuthenticationError('invalid credentials');
      return;
    }
    if (scheme?.toLowerCase() !== 'bearer' || credential === '') throw new AuthenticationError('Bearer token expected');
    const options = { issuer: auth.issuer, audience: auth.audience };
    try {
      if (jwks) await jwtVerify(credential, jwks, options);
      else await jwtVerify(credential, secret!, { ...options, algorithms: ['HS256'] });
    } catch {
      // An expired token is answered 401 too: the Hub then fetches a fresh one (eGain's callback contract).
      throw new AuthenticationError('invalid or expired bearer token');
    }
  };
}

function roleOf(type: ClientType): SenderRole {
  if (type === 'customer') return 'customer';
  if (type === 'egain_bot' || type === 'custom_bot') return 'bot';
  return 'agent';
}

/** Types the Hub documents that the canonical model does not carry: dropped with the reason. */
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

/** Hub callback body -> canonical events; one callback may carry several messages. */
export class EgainInbound {
  constructor(
    private readonly runtime: PlatformRuntime,
    private readonly channels: ChannelDirectory,
  ) {}

  async normalize(body: unknown): Promise<InboundEventInput[]> {
    const payload = CallbackPayload.safeParse(body);
    if (!payload.success) {
      throw new PayloadError(
        'not an eGain callback body',
        payload.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', problem: i.message })),
      );
    }
    const events: InboundEventInput[] = [];
    const seen = new Set<string>();
    const channelOf = new Map<string, string>();
    for (const raw of payload.data.messages.message) {
      const parsed = CallbackMessage.safeParse(raw);
      if (!parsed.success) {
        this.runtime.drop('unknown', 'malformed eGain message in a callback', { problems: parsed.error.issues.length });
        continue;
      }
      const key = `${parsed.data.conversation.id}:${parsed.data.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (await this.runtime.store.findMessage(this.runtime.tenantId, PLATFORM, parsed.data.id)) {
        this.runtime.drop(parsed.data.type.value, 'echo of a message the bridge sent', { messageId: parsed.data.id });
        continue;
      }
      const channelType = parsed.data.conversation.account?.channel.type;
      if (channelType) channelOf.set(parsed.data.conversation.id, channelType);
      const event = await this.toEvent(parsed.data);
      if (event) events.push(event);
    }
    for (const [conversationId, type] of channelOf) await this.channels.remember(conversationId, type);
    return events;
  }

  private async toEvent(m: CallbackMessage): Promise<InboundEventInput | undefined> {
    const type = m.type.value;
    const participant = m.sender.participant;
    const base = {
      id: `${PLATFORM}:${m.conversation.id}:${m.id}`,
      origin: { platform: PLATFORM, conversationId: m.conversation.id, messageId: m.id },
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
        return { ...base, kind: 'customer.info', customer: profileOf(m) };
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
    if (type.startsWith('richMessage.') && m.content?.text) {
      return { ...base, kind: 'message', text: m.content.text, richText: false, attachments: [] };
    }
    const reason = NOT_CARRIED[type] ?? (type.startsWith('richMessage.') ? 'a rich message without text' : 'unknown eGain message type');
    this.runtime.drop(type, reason, { messageId: m.id });
    return undefined;
  }
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

function profileOf(m: CallbackMessage) {
  const c = m.conversation.customer;
  const contacts = c?.contacts?.contact ?? [];
  return {
    firstName: c?.firstName,
    lastName: c?.lastName,
    language: c?.language,
    email: contacts.find((x) => x.type === 'email')?.address,
    phone: contacts.find((x) => x.type === 'phone')?.address,
  };
}
