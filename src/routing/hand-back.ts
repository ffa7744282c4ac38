import type { ConversationEvent } from '../model/events.js';
import type { Metrics } from '../observability/metrics.js';
import type { MappingStore } from '../store/mapping-store.js';
import { handOffSummary } from '../transcripts/summary.js';
import type { Transcripts } from '../transcripts/transcripts.js';
import type { Ingestor } from './ingestor.js';
import { LiveConversations } from './live-conversations.js';
import type { NativeShare } from './native-share.js';
import { type RouteLedger, routeLabel } from './route-ledger.js';

export interface HandBackDeps {
  store: MappingStore;
  ingestor: Ingestor;
  transcripts: Transcripts;
  native: NativeShare;
  routeLedger: RouteLedger;
  metrics: Metrics;
}

export type HandBackResult =
  | { status: 'handed-back'; customer: string; agent: string; summary: boolean }
  | { status: 'not-found' }
  /** Ended, or already left to the customer platform's own agents. */
  | { status: 'conflict'; problem: string }
  /** The customer platform's adapter cannot take conversations back (no handToNativeAgents). */
  | { status: 'unsupported'; problem: string };

/**
 * Moves a bridged conversation back to its customer platform's own agents, for a roll-back during a
 * migration: the customer platform receives the transcript summary where it can carry it (for its
 * agents, not the customer) and takes the conversation by its own routing; the agent side gets a
 * `conversation.ended`; the bridge takes no part afterwards. A vendor failure throws and changes nothing.
 */
export async function handBackConversation(deps: HandBackDeps, tenant: string, conversationId: string): Promise<HandBackResult> {
  const record = await deps.store.getConversation(tenant, conversationId);
  const customer = record?.attrs.customer;
  const agent = record?.attrs.agent;
  if (!record || !customer || !agent) return { status: 'not-found' };
  if (record.attrs.native === 'drawn' || record.attrs.nativeAt) return { status: 'conflict', problem: `the conversation is already with ${customer}'s own agents` };
  if (record.attrs.endedAt) return { status: 'conflict', problem: 'the conversation has ended' };
  if (!deps.native.supported(tenant, customer)) return { status: 'unsupported', problem: `${customer} cannot hand a conversation back to its own agents` };

  const summary = handOffSummary(await deps.transcripts.read(tenant, conversationId), deps.transcripts.summaryMessages);
  await deps.native.stepOut(record, 'handed-back', { fresh: false, ...(summary ? { summary } : {}) });

  const route = routeLabel(customer, agent);
  await new LiveConversations(deps.store).ended(tenant, conversationId);
  await deps.routeLedger.ended(tenant, conversationId, route);
  deps.metrics.routeHandBacks.inc({ tenant, route });
  const ended: ConversationEvent = {
    kind: 'conversation.ended',
    id: `${tenant}:${conversationId}:hand-back`,
    tenant,
    conversationId,
    origin: { platform: customer, conversationId: record.links[customer] ?? conversationId },
    sender: { role: 'system' },
    timestamp: new Date().toISOString(),
    endedBy: 'system',
    reason: `handed back to ${customer}'s own agents`,
  };
  await deps.ingestor.inject(ended, agent);
  return { status: 'handed-back', customer, agent, summary: summary !== undefined };
}
