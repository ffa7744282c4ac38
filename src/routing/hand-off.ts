import type { TenantConfig } from '../config/schema.js';
import type { ConversationEvent, CustomerProfile } from '../model/events.js';
import type { Ingestor } from './ingestor.js';
import { type RouteLedger, routeLabel } from './route-ledger.js';
import type { MappingStore } from '../store/mapping-store.js';
import type { Transcripts } from '../transcripts/transcripts.js';

export interface HandOffDeps {
  store: MappingStore;
  ingestor: Ingestor;
  transcripts: Transcripts;
  routeLedger: RouteLedger;
  tenant(id: string): TenantConfig | undefined;
}

export type HandOffResult =
  | { status: 'moved'; from: string; to: string }
  | { status: 'not-found' }
  | { status: 'refused'; problem: string };

/** The customer as last described in the transcript (the opening profile, updated by customer.info). */
function lastProfile(transcript: readonly ConversationEvent[]): CustomerProfile | undefined {
  let profile: CustomerProfile | undefined;
  for (const e of transcript) {
    if (e.kind === 'conversation.started' || e.kind === 'customer.info') profile = { ...profile, ...e.customer };
  }
  return profile;
}

/**
 * An explicit route change: the conversation's agent side moves to another agent platform of its
 * route. The old agent side is ended (it no longer takes part: its later events are dropped), the new
 * one receives the customer's profile and a summary of the transcript, then every later event.
 */
export async function handOffConversation(deps: HandOffDeps, tenantId: string, conversationId: string, to: string): Promise<HandOffResult> {
  const record = await deps.store.getConversation(tenantId, conversationId);
  const customer = record?.attrs.customer;
  const from = record?.attrs.agent;
  if (!record || !customer || !from) return { status: 'not-found' };
  const route = deps.tenant(tenantId)?.routes.find((r) => r.customer === customer);
  if (!route?.agents.some((a) => a.platform === to)) return { status: 'refused', problem: `${to} is not an agent platform of this conversation's route` };
  if (to === from) return { status: 'refused', problem: `the conversation is already on ${to}` };
  if (to === customer) return { status: 'refused', problem: `${to} is the customer platform: use POST /admin/conversations/:id/hand-back` };
  if (record.attrs.native) return { status: 'refused', problem: `the conversation is with ${customer}'s own agents` };

  const count = Number(record.attrs.handOffs ?? '0') + 1;
  await deps.store.setConversationAttrs(tenantId, conversationId, { agent: to, handOffs: String(count), [`handOff.${count}`]: `${from}>${to}` });
  const base = {
    id: `${tenantId}:${conversationId}:hand-off-${count}`,
    tenant: tenantId,
    conversationId,
    origin: { platform: customer, conversationId: record.links[customer] ?? conversationId },
    sender: { role: 'system' as const },
    timestamp: new Date().toISOString(),
  };
  const ended: ConversationEvent = { ...base, kind: 'conversation.ended', endedBy: 'system', reason: 'handed off to another agent platform' };
  await deps.ingestor.inject(ended, from);
  const profile = lastProfile(await deps.transcripts.read(tenantId, conversationId));
  if (profile) await deps.ingestor.inject({ ...base, id: `${base.id}:customer`, kind: 'customer.info', customer: profile }, to);
  await deps.ingestor.handOff(ended, to);
  await deps.routeLedger.handedOff(tenantId, conversationId, routeLabel(customer, from), routeLabel(customer, to));
  return { status: 'moved', from, to };
}
