import { z } from 'zod';
import type { InboundEventInput } from '../../src/model/events.js';
import type { PlatformRuntime } from '../../src/platform/adapter.js';
import { ENDED_BY, PLATFORM } from './vendor-facts.js';

const Participant = z.looseObject({ id: z.string(), role: z.string() });
const Dialog = z.looseObject({
  dialogType: z.string().optional(),
  state: z.string().optional(),
  closedBy: z.string().optional(),
  participantsDetails: z.array(z.looseObject({ id: z.string(), role: z.string(), state: z.string().optional() })).optional(),
});

export const ExConversationChange = z.looseObject({
  type: z.string(),
  result: z.looseObject({
    convId: z.string().min(1),
    conversationDetails: z.looseObject({
      state: z.string().optional(),
      closeReason: z.string().optional(),
      metaDataLastUpdateTs: z.number(),
      participants: z.array(Participant).optional(),
      dialogs: z.array(Dialog).optional(),
    }),
  }),
});
export type ExConversationChange = z.infer<typeof ExConversationChange>;

/** What one notification says, reduced to what the bridge carries. */
interface ConvState {
  ts: number;
  agent: string;
  closed: boolean;
}

const NONE: ConvState = { ts: 0, agent: '', closed: false };
const STATE_TTL_MS = 30 * 24 * 3600_000;

/**
 * ExConversationChange carries the complete conversation state, so events come from comparing it with
 * the last state seen. Both the last and the one before are kept: a redelivery of the latest
 * notification yields the same events with the same ids (the core dedupes them), and an older
 * notification (by `metaDataLastUpdateTs`) is dropped as stale.
 *
 * UNKNOWN: two notifications of one conversation racing on two instances can both pass the comparison;
 * LivePerson guarantees order within a conversation outside its drain period, which makes that rare.
 */
export class ConversationChanges {
  constructor(private readonly runtime: PlatformRuntime) {}

  async normalize(change: ExConversationChange): Promise<InboundEventInput[]> {
    if (change.type !== 'UPSERT') {
      this.runtime.drop('cqm.ExConversationChange', 'unsupported-change');
      return [];
    }
    const { convId, conversationDetails: details } = change.result;
    const current: ConvState = {
      ts: details.metaDataLastUpdateTs,
      agent: assignedAgent(details),
      closed: details.state === 'CLOSE',
    };
    const key = this.runtime.store.key(PLATFORM, this.runtime.tenantId, 'exconv', convId);
    const stored = await this.runtime.store.hashGetAll(key);
    const last = decode(stored.last);
    let previous: ConvState;
    if (current.ts < last.ts) {
      this.runtime.drop('cqm.ExConversationChange', 'stale', { conversationId: convId });
      return [];
    } else if (current.ts === last.ts && stored.last !== undefined) {
      previous = decode(stored.previous);
    } else {
      previous = last;
      await this.runtime.store.hashSet(key, { previous: JSON.stringify(last), last: JSON.stringify(current) }, STATE_TTL_MS);
    }
    return diff(convId, previous, current, endedBy(details));
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

function decode(value: string | undefined): ConvState {
  return value ? { ...NONE, ...(JSON.parse(value) as Partial<ConvState>) } : NONE;
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
