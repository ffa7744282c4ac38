import type { MappingStore, PlatformKey } from '../../src/store/mapping-store.js';

/** What the last ExConversationChange said about a conversation, reduced to what the bridge carries. */
export interface ConvState {
  ts: number;
  agent: string;
  closed: boolean;
}

export const NO_STATE: ConvState = { ts: 0, agent: '', closed: false };
const TTL_MS = 30 * 24 * 3600_000;

/**
 * Per LivePerson conversation, in the store so every instance sees it: the last two states seen by
 * webhook, and whether chatbridge itself (the consumer) closed it.
 */
export class LivePersonConversationState {
  constructor(
    private readonly store: MappingStore,
    private readonly keys: PlatformKey,
  ) {}

  private key(convId: string): string {
    return this.keys('conv-state', convId);
  }

  async read(convId: string): Promise<{ last?: ConvState; previous: ConvState; closedByUs: boolean }> {
    const fields = await this.store.hashGetAll(this.key(convId));
    return {
      last: fields.last === undefined ? undefined : decode(fields.last),
      previous: decode(fields.previous),
      closedByUs: fields.closedByUs === '1',
    };
  }

  async advance(convId: string, previous: ConvState, last: ConvState): Promise<void> {
    await this.store.hashSet(this.key(convId), { previous: JSON.stringify(previous), last: JSON.stringify(last) }, TTL_MS);
  }

  async markClosedByUs(convId: string): Promise<void> {
    await this.store.hashSet(this.key(convId), { closedByUs: '1' }, TTL_MS);
  }

  async isClosed(convId: string): Promise<boolean> {
    return (await this.read(convId)).last?.closed ?? false;
  }
}

function decode(value: string | undefined): ConvState {
  return value ? { ...NO_STATE, ...(JSON.parse(value) as Partial<ConvState>) } : NO_STATE;
}
