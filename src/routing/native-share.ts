import { withAuthRefresh } from '../auth/auth-refresh.js';
import type { NativeHandOver, Connector } from '../ports/adapter.js';
import type { ConversationRecord, MappingStore } from '../store/mapping-store.js';
import { StoredConversation } from './conversation-handle.js';
import type { RouteLedger } from './route-ledger.js';
import { routeLabel } from './route-ledger.js';

/**
 * Why a conversation is left to the customer platform's own agents: drawn for the native share when it
 * started, or handed back by an operator while the bridge carried it. Stored with the conversation
 * (attribute `native`), so every instance agrees and the choice is as sticky as any weight.
 */
export type NativeReason = 'drawn' | 'handed-back';

/** The conversation is (being) left to its customer platform's own agents: the bridge takes no part. */
export function isNative(record: Pick<ConversationRecord, 'attrs'>): boolean {
  return Boolean(record.attrs.native);
}

export interface NativeShareDeps {
  store: MappingStore;
  ledger: RouteLedger;
  connector(tenant: string, platform: string): Connector | undefined;
}

/**
 * Steps the bridge out of a conversation: the customer platform's adapter hands it to the vendor's own
 * agents (`handToNativeAgents`), then the record says so (`nativeAt`). A conversation drawn for the
 * native share counts on its route `<customer>-><customer>` (e.g. `rightnow->rightnow`): started when
 * drawn, ended once the bridge stepped out, so its live gauge is above 0 only while a step-out fails.
 */
export class NativeShare {
  constructor(private readonly deps: NativeShareDeps) {}

  /** True when the customer platform of this tenant can take conversations back for its own agents. */
  supported(tenant: string, platform: string): boolean {
    return this.deps.connector(tenant, platform)?.handToNativeAgents !== undefined;
  }

  /**
   * Marks the conversation native (before the vendor is asked, so that nothing more is bridged while it
   * is), then asks the vendor. Safe to call again after a failure: a step-out already done is not
   * repeated. A failed hand-back is unmarked (the bridge carries the conversation on, the operator may
   * try again); a failed draw stays native and is retried with the vendor's next event for it.
   */
  async stepOut(record: ConversationRecord, reason: NativeReason, handOver: NativeHandOver): Promise<void> {
    const { tenant, id } = record;
    const customer = record.attrs.customer;
    if (!customer) throw new Error(`conversation ${id} has no customer platform`);
    if (record.attrs.nativeAt) return;
    const connector = this.deps.connector(tenant, customer);
    if (!connector?.handToNativeAgents) throw new Error(`${customer} cannot hand conversations to its own agents`);
    if (record.attrs.native !== reason) await this.setAttrs(record, { native: reason });
    try {
      const handToNativeAgents = connector.handToNativeAgents.bind(connector);
      const conversation = new StoredConversation(this.deps.store, record, customer, 'customer');
      await withAuthRefresh(connector, () => handToNativeAgents(conversation, handOver));
    } catch (err) {
      if (reason === 'handed-back') await this.setAttrs(record, { native: '' });
      throw err;
    }
    await this.setAttrs(record, { nativeAt: new Date().toISOString() });
    if (reason === 'drawn') await this.deps.ledger.ended(tenant, id, routeLabel(customer, customer));
  }

  private async setAttrs(record: ConversationRecord, attrs: Record<string, string>): Promise<void> {
    await this.deps.store.setConversationAttrs(record.tenant, record.id, attrs);
    Object.assign(record.attrs, attrs);
  }
}
