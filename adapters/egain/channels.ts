import { withAuthRefresh } from '../../src/auth/auth-refresh.js';
import type { Logger } from '../../src/observability/logger.js';
import type { MappingStore, PlatformKey } from '../../src/store/mapping-store.js';
import { MovedKey } from '../../src/store/moved-key.js';
import type { EgainApi } from './api.js';
import type { EgainConfig } from './config.js';
import type { L10nProperties, Restrictions } from './wire.js';

export interface ChannelRules {
  type: string;
  restrictions: Restrictions;
  l10nProperties?: L10nProperties[];
}

const CHANNEL_TYPE_TTL_MS = 30 * 24 * 3600_000;

/**
 * Which channel a conversation is on and what that channel allows. The tenant's custom channel comes
 * from config; any other channel (eGain as the customer side: web chat, WhatsApp...) is read with
 * GET /channels and cached. When it cannot be read, the configured channel block applies, with a warning.
 */
export class ChannelDirectory {
  private cached: { at: number; byType: Map<string, ChannelRules> } | undefined;

  constructor(
    private readonly api: EgainApi,
    private readonly config: EgainConfig,
    private readonly store: MappingStore,
    private readonly keys: PlatformKey,
    private readonly tenant: string,
    private readonly logger: Logger,
  ) {}

  /** LEGACY: with the key earlier releases used, until MovedKey goes (src/store/moved-key.ts). */
  private key(conversationId: string): MovedKey {
    return new MovedKey(this.store, this.keys('channel', conversationId), this.store.key('egain', 'channel', this.tenant, conversationId));
  }

  /**
   * Remembers the channel a callback named for its conversation. A conversation stays on its channel,
   * so the store is written only when it does not hold this channel yet (not once per callback).
   */
  async remember(conversationId: string, channelType: string): Promise<void> {
    const key = this.key(conversationId);
    if ((await key.getStable()) !== channelType) await key.set(channelType, CHANNEL_TYPE_TTL_MS);
  }

  async forConversation(conversationId: string | undefined): Promise<ChannelRules> {
    const own: ChannelRules = { ...this.config.channel };
    const type = conversationId ? await this.key(conversationId).getStable() : undefined;
    if (!type || type === own.type) return own;
    const known = await this.lookup(type);
    return known ?? own;
  }

  private async lookup(type: string): Promise<ChannelRules | undefined> {
    const fresh = this.cached && Date.now() - this.cached.at < this.config.channelCacheMs;
    if (!fresh) {
      try {
        // Read inside a send, whose own refresh never sees this refusal: the fallback below swallows it.
        const list = await withAuthRefresh(this.api, () => this.api.listChannels(this.config.readScope));
        const byType = new Map(list.map((c) => [c.type, { type: c.type, restrictions: c.restrictions ?? {}, l10nProperties: c.l10nProperties }]));
        this.cached = { at: Date.now(), byType };
      } catch (err) {
        // Remembered as empty for the cache period: a failing GET /channels is not asked on every send.
        this.cached = { at: Date.now(), byType: new Map() };
        this.logger.warn('egain channel restrictions unavailable; applying the configured channel block', {
          tenant: this.tenant,
          channelType: type,
          error: (err as Error).message,
        });
        return undefined;
      }
    }
    return this.cached?.byType.get(type);
  }
}
