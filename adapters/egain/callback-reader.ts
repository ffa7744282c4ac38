import { type ProblemDetail, zodDetails } from '../../src/errors.js';
import type { CustomerProfile } from '../../src/model/events.js';
import {
  type CallbackCustomer,
  CallbackMessage,
  type CallbackMetadata,
  CallbackPayload,
} from './wire.js';

/**
 * Reads a Hub callback in every shape wire.ts allows for what eGain leaves undocumented (where the
 * conversation and the customer travel), into one flat message per entry. What cannot be read is
 * reported path by path, so the caller can refuse it loudly instead of answering 200 for nothing.
 */

export type Problem = ProblemDetail;

export interface ReadMessage {
  message: CallbackMessage;
  conversationId: string;
  channelType?: string;
  /** The customer fields found in the message, its conversation or the metadata (most specific wins). */
  customer: CustomerProfile;
}

export function readEnvelope(body: unknown): { metadata?: CallbackMetadata; messages: unknown[] } | Problem[] {
  const parsed = CallbackPayload.safeParse(body);
  if (!parsed.success) return zodDetails(parsed.error);
  return { metadata: parsed.data.metadata, messages: parsed.data.messages.message };
}

export function readMessage(raw: unknown, index: number, metadata: CallbackMetadata | undefined): ReadMessage | Problem[] {
  const at = `messages.message.${index}`;
  const parsed = CallbackMessage.safeParse(raw);
  if (!parsed.success) return zodDetails(parsed.error, [at]);
  const m = parsed.data;
  const conversationId = m.conversation?.id ?? m.conversationId ?? metadata?.conversation?.id ?? metadata?.conversationId;
  if (!conversationId) {
    return [
      {
        path: `${at}.conversation.id`,
        problem: `no conversation id (looked at ${at}.conversation.id, ${at}.conversationId, metadata.conversation.id, metadata.conversationId)`,
      },
    ];
  }
  const customers = [metadata?.customer, metadata?.conversation?.customer, m.customer, m.conversation?.customer];
  return {
    message: m,
    conversationId,
    channelType: m.conversation?.account?.channel.type ?? metadata?.conversation?.account?.channel.type,
    customer: Object.assign({}, ...customers.map(profileOf)) as CustomerProfile,
  };
}

/** The canonical profile of one customer block; absent fields are left out, so merging keeps earlier ones. */
function profileOf(c: CallbackCustomer | undefined): CustomerProfile {
  if (!c) return {};
  const contacts = c.contacts?.contact ?? [];
  const profile: CustomerProfile = {
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: c.name,
    language: c.language,
    email: c.email ?? contacts.find((x) => x.type === 'email')?.address,
    phone: contacts.find((x) => x.type === 'phone')?.address,
  };
  return Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined && v !== '')) as CustomerProfile;
}
