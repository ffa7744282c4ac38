import type { InboundEventInput } from '../../src/model/events.js';
import type { ConnectorRuntime } from '../../src/ports/adapter.js';
import { type ConvState, type LivePersonConversationState, NO_STATE } from './conversation-state.js';
import { ENDED_BY, type ExConversationChange, PLATFORM } from './wire.js';

/**
 * ExConversationChange carries the complete conversation state, so events come from comparing it with
 * the last state seen. Both the last and the one before are kept: a redelivery of the latest
 * notification yields the same events with the same ids (the core dedupes them), and an older
 * notification (by `metaDataLastUpdateTs`) is dropped as stale.
 * (Ordering across instances: see wire.ts.)
 */
export class ConversationChanges {
  constructor(
    private readonly runtime: ConnectorRuntime,
    private readonly states: LivePersonConversationState,
  ) {}

  async normalize(change: ExConversationChange): Promise<InboundEventInput[]> {
    if (change.type !== 'UPSERT') {
      this.runtime.drop('vendor', 'not-carried', { type: 'cqm.ExConversationChange', change: change.type });
      return [];
    }
    const { convId, conversationDetails: details } = change.result;
    const current: ConvState = {
      ts: details.metaDataLastUpdateTs,
      agent: assignedAgent(details),
      closed: details.state === 'CLOSE',
    };
    const stored = await this.states.read(convId);
    const last = stored.last ?? NO_STATE;
    let previous: ConvState;
    if (current.ts < last.ts) {
      this.runtime.drop('vendor', 'stale', { type: 'cqm.ExConversationChange', conversationId: convId });
      return [];
    } else if (current.ts === last.ts && stored.last !== undefined) {
      previous = stored.previous;
    } else {
      previous = last;
      await this.states.advance(convId, last, current);
    }
    const ended = endedBy(details);
    const events = diff(convId, previous, current, ended);
    // The consumer is chatbridge: a close by CONSUMER after we sent one is our own close coming back.
    if (ended.by !== 'customer' || !stored.closedByUs) return events;
    const kept = events.filter((e) => e.kind !== 'conversation.ended');
    if (kept.length < events.length) this.runtime.drop('conversation.ended', 'echo');
    return kept;
  }
}

function assignedAgent(details: ExConversationChange['result']['conversationDetails']): string {
  const main = details.dialogs?.find((d) => d.dialogType === 'MAIN') ?? details.dialogs?.[0];
  const fromDialog = main?.participantsDetails?.find((p) => p.role === 'ASSIGNED_AGENT' && (p.state ?? 'ACTIVE') === 'ACTIVE');
  return fromDialog?.id ?? details.participants?.find((p) => p.role === 'ASSIGNED_AGENT')?.id ?? '';
}

function endedBy(details: ExConversationChange['result']['conversationDetails']): { by: 'customer' | 'agent' | 'system'; reason?: string } {
  const main = details.dialogs?.find((d) => d.dialogType === 'MAIN') ?? details.dialogs?.[0];
  const who = details.closeReason ?? main?.closedBy;
  return { by: (who && ENDED_BY[who]) || 'system', reason: details.closeReason };
}

function diff(
  convId: string,
  before: ConvState,
  now: ConvState,
  ended: { by: 'customer' | 'agent' | 'system'; reason?: string },
): InboundEventInput[] {
  const base = (what: string) => ({
    id: `${PLATFORM}:${convId}:${now.ts}:${what}`,
    origin: { platform: PLATFORM, conversationId: convId },
    timestamp: new Date(now.ts).toISOString(),
  });
  const events: InboundEventInput[] = [];
  if (before.closed) return events;
  if (before.agent && before.agent !== now.agent && !now.closed) {
    events.push({
      ...base(`left:${before.agent}`),
      kind: 'participant.left',
      sender: { role: 'system' },
      participant: { id: before.agent, role: 'agent' },
      reason: now.agent ? 'transfer' : 'unassigned',
    });
  }
  if (now.agent && now.agent !== before.agent && !now.closed) {
    events.push({
      ...base(`joined:${now.agent}`),
      kind: 'participant.joined',
      sender: { role: 'system' },
      participant: { id: now.agent, role: 'agent' },
      transfer: before.agent !== '',
    });
  }
  if (now.closed) {
    events.push({ ...base('closed'), kind: 'conversation.ended', sender: { role: ended.by }, endedBy: ended.by, reason: ended.reason });
  }
  return events;
}
