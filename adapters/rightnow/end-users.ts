import type { MappingStore, PlatformKey } from '../../src/store/mapping-store.js';
import { MovedKey } from '../../src/store/moved-key.js';

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
    private readonly keys: PlatformKey,
    private readonly tenantId: string,
    private readonly agentAccountId: string,
  ) {}

  /** LEGACY: with the key earlier releases used, until MovedKey goes (src/store/moved-key.ts). */
  private key(clientId: string): MovedKey {
    const legacy = this.store.key('rightnow', 'enduser', this.tenantId, this.agentAccountId, clientId);
    return new MovedKey(this.store, this.keys('enduser', this.agentAccountId, clientId), legacy);
  }

  /** The engagement whose end user has this client id, if we have seen it. */
  async engagementOf(clientId: string): Promise<string | undefined> {
    const cached = this.known.get(clientId);
    if (cached) return cached;
    const stored = await this.key(clientId).get();
    if (stored) this.known.set(clientId, stored);
    return stored;
  }

  /** Records end-user clients; each is written to the store once per process. */
  async remember(pairs: Iterable<[clientId: string, engagementId: string]>): Promise<void> {
    const fresh = [...pairs].filter(([clientId, engagementId]) => this.known.get(clientId) !== engagementId);
    await Promise.all(fresh.map(([clientId, engagementId]) => this.key(clientId).set(engagementId, TTL_MS)));
    for (const [clientId, engagementId] of fresh) this.known.set(clientId, engagementId);
  }
}
