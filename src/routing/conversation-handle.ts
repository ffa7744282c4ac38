import type { ConversationHandle, RouteRole } from '../ports/adapter.js';
import type { ConversationRecord, MappingStore } from '../store/mapping-store.js';

/** A conversation as one platform sees it during a delivery, backed by the MappingStore. */
export class StoredConversation implements ConversationHandle {
  constructor(
    private readonly store: MappingStore,
    private readonly record: ConversationRecord,
    private readonly platform: string,
    readonly role: RouteRole,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get tenant(): string {
    return this.record.tenant;
  }

  nativeId(): string | undefined {
    return this.record.links[this.platform];
  }

  async link(nativeId: string): Promise<void> {
    await this.store.linkConversation(this.record.tenant, this.record.id, this.platform, nativeId);
    this.record.links[this.platform] = nativeId;
  }

  attr(name: string): string | undefined {
    return this.record.attrs[name];
  }

  async setAttrs(attrs: Record<string, string>): Promise<void> {
    await this.store.setConversationAttrs(this.record.tenant, this.record.id, attrs);
    Object.assign(this.record.attrs, attrs);
  }
}
