import type { MappingStore } from '../../src/store/mapping-store.js';

const TTL_MS = 24 * 3600_000;

/**
 * Which engagement each end user's client belongs to. A ChatDisconnectNotification may name only the
 * `clientId` that left (Oracle's Customer Portal sample has no engagement id), so the end user's client
 * id is kept from where we see it (the assignment acknowledgement's clientList, end-user posts and
 * activity), in the store, so any instance that polls later can tell an end user leaving.
 */
export class EndUserClients {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly store: MappingStore,
    private readonly tenantId: string,
    private readonly agentAccountId: string,
  ) {}

  private key(clientId: string): string {
    return this.store.key('rightnow', 'enduser', this.tenantId, this.agentAccountId, clientId);
  }

  /** The engagement whose end user has this client id, if we have seen it. */
  async engagementOf(clientId: string): Promise<string | undefined> {
    const cached = this.known.get(clientId);
    if (cached) return cached;
    const stored = await this.store.get(this.key(clientId));
    if (stored) this.known.set(clientId, stored);
    return stored;
  }

  /** Records end-user clients; each is written to the store once per process. */
  async remember(pairs: Iterable<[clientId: string, engagementId: string]>): Promise<void> {
    const fresh = [...pairs].filter(([clientId, engagementId]) => this.known.get(clientId) !== engagementId);
    await Promise.all(fresh.map(([clientId, engagementId]) => this.store.set(this.key(clientId), engagementId, TTL_MS)));
    for (const [clientId, engagementId] of fresh) this.known.set(clientId, engagementId);
  }
}
