import { ConversationGoneError, PermanentError } from '../../src/errors.js';
import type { Logger } from '../../src/observability/logger.js';
import type { MappingStore, PlatformKey } from '../../src/store/mapping-store.js';
import { MovedKey } from '../../src/store/moved-key.js';
import type { AgentSession } from './session.js';

const MARK_TTL_MS = 24 * 3600_000;

/** What acting on the agent session's engagements needs (releasing them, handing them to RightNow's agents). */
export interface EngagementDeps {
  session: AgentSession;
  store: MappingStore;
  key: PlatformKey;
  tenantId: string;
  agentAccountId: string;
  logger: Logger;
}

/**
 * Gives an ended engagement back: concludeChat (wrap-up), then releaseChat. Until released, an
 * engagement holds one of the agent session's `maxSessionCount` slots, whichever side ended it, and a
 * full session is offered nothing. Once per engagement across instances (a claim in the store); an
 * answer that the engagement is already concluded or gone (CONFLICT) counts as done.
 */
export class EngagementRelease {
  constructor(
    private readonly deps: EngagementDeps & {
      /** A slot is free again: the poll loop asks for another assignment. */
      onReleased?: () => void;
    },
  ) {}

  /**
   * 'released' when this call gave it back, 'already' when another call did (or is doing) it. A
   * transient failure gives the claim back and throws, so a retry does the work.
   */
  async release(engagementId: string): Promise<'released' | 'already'> {
    const { store, key, tenantId, agentAccountId } = this.deps;
    // LEGACY: the key earlier releases used, until MovedKey goes (src/store/moved-key.ts).
    const claim = new MovedKey(store, key('released', agentAccountId, engagementId), store.key('rightnow', 'released', tenantId, agentAccountId, engagementId));
    if (!(await claim.claim('1', MARK_TTL_MS))) return 'already';
    try {
      await this.step('concludeChat', engagementId);
      await this.step('releaseChat', engagementId);
    } catch (err) {
      await claim.release('1');
      throw err;
    }
    this.deps.onReleased?.();
    return 'released';
  }

  private async step(operation: 'concludeChat' | 'releaseChat', engagementId: string): Promise<void> {
    try {
      await this.deps.session.call(operation, { engagementId: Number(engagementId) });
    } catch (err) {
      if (err instanceof ConversationGoneError) return;
      // A refusal that will not change by retrying (engagement unknown after a re-logon): logged, not retried.
      if (err instanceof PermanentError) {
        this.deps.logger.warn(`rightnow ${operation} refused; the engagement is left as it is`, {
          tenant: this.deps.tenantId,
          error: err.message,
        });
        return;
      }
      throw err;
    }
  }
}
