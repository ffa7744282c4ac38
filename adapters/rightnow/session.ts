import type { z } from 'zod';
import { TokenCache } from '../../src/auth/token-cache.js';
import { AuthExpiredError, PermanentError } from '../../src/errors.js';
import type { Logger } from '../../src/observability/logger.js';
import type { MappingStore, PlatformKey } from '../../src/store/mapping-store.js';
import { MovedKey } from '../../src/store/moved-key.js';
import { type AgentApi, type ChatTarget, type ConnectRestClient } from './api.js';
import type { RightNowConfig } from './config.js';
import { SequenceRejectedError } from './errors.js';
import { CreateAgentSessionReply, type GenericReply } from './wire.js';
import type { AgentOperation, AgentRequests } from './wire-requests.js';

/** The agent session as every instance of the tenant shares it through the store. */
export interface SessionState {
  sessionId: string;
  clientId?: string;
  chatServer: string;
  siteName: string;
  pool: string;
  /**
   * The sequence number our createAutomatedAgentSession carried: unique per session and never reused
   * (the counter only goes up), so it tells sessions apart where the server's own numbers restart.
   * '0' for a session stored before epochs were kept.
   */
  epoch: string;
}

const STATE_TTL_MS = 24 * 3600_000;
const DEFAULT_JWT_LIFETIME_MS = 30 * 60_000;

/**
 * One automated agent session per tenant and agent account. The session id lives in the store so a
 * restarted or second instance reuses it; the client transaction sequence number is one store counter
 * per agent account that only ever goes up (INCR), across sessions and restarts, so no number is reused.
 * Calls that carry a sequence number are serialized in this process, so they reach the server in order.
 */
export class AgentSession {
  private current: SessionState | undefined;
  private establishing: Promise<SessionState> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly jwt: TokenCache<string>;
  private readonly stateKey: MovedKey;
  private readonly sequenceKey: MovedKey;

  constructor(
    private readonly deps: {
      tenantId: string;
      config: RightNowConfig;
      store: MappingStore;
      key: PlatformKey;
      connect: ConnectRestClient;
      api: AgentApi;
      logger: Logger;
    },
  ) {
    const { store, key, tenantId, config } = deps;
    // LEGACY: with the keys earlier releases used, until MovedKey goes (src/store/moved-key.ts).
    this.stateKey = new MovedKey(store, key('session', config.agentAccountId), store.key('rightnow', 'session', tenantId, config.agentAccountId));
    this.sequenceKey = new MovedKey(store, key('seq', config.agentAccountId), store.key('rightnow', 'seq', tenantId, config.agentAccountId));
    this.jwt = new TokenCache(async () => {
      const value = await deps.connect.agentToken();
      return { value, expiresAt: Date.now() + jwtLifetimeMs(value) };
    });
  }

  /** The session to use: this process's, else the shared one, else a new one. */
  async get(): Promise<SessionState> {
    if (this.current) return this.current;
    const stored = await this.stored();
    if (stored) {
      this.current = stored;
      return stored;
    }
    return this.renew();
  }

  private async stored(): Promise<SessionState | undefined> {
    const { sessionId, clientId, chatServer, siteName, pool, epoch } = await this.stateKey.hashGetAll();
    if (!sessionId || !chatServer || !siteName || !pool) return undefined;
    return { sessionId, chatServer, siteName, pool, epoch: epoch ?? '0', ...(clientId ? { clientId } : {}) };
  }

  /**
   * Re-establishes after the server refused `staleId` (ACCESS_DENIED/403). Single flight in this process;
   * a session another instance already put in the store is adopted instead of creating a second one.
   */
  renew(staleId = this.current?.sessionId): Promise<SessionState> {
    this.establishing ??= this.establish(staleId).finally(() => {
      this.establishing = undefined;
    });
    return this.establishing;
  }

  private async establish(staleId: string | undefined): Promise<SessionState> {
    this.current = undefined;
    const stored = await this.stored();
    if (stored && stored.sessionId !== staleId) {
      this.current = stored;
      return stored;
    }
    const settings = await this.deps.connect.serviceSettings();
    const target: ChatTarget = {
      chatServer: this.deps.connect.chatServerOf(settings),
      siteName: settings.siteName,
      pool: settings.pool,
      jwt: await this.jwt.get(),
    };
    const epoch = await this.nextSequence();
    const body = { logonOverride: this.deps.config.logonOverride, sequenceNumber: epoch, timeCreated: Date.now() };
    const reply = await this.deps.api
      .call('createAutomatedAgentSession', target, body, { reply: CreateAgentSessionReply })
      .catch((err: unknown) => {
        if (err instanceof AuthExpiredError) this.jwt.invalidate(target.jwt);
        throw err;
      });
    const sessionId = reply.sessionId ?? reply.chatLogonResult?.sessionId;
    if (!sessionId) throw new AuthExpiredError('rightnow createAutomatedAgentSession answered without a session id');
    const clientId = reply.clientId ?? reply.chatLogonResult?.clientId;
    const state: SessionState = {
      sessionId,
      chatServer: target.chatServer,
      siteName: target.siteName,
      pool: target.pool,
      epoch: String(epoch),
    };
    if (clientId !== undefined) state.clientId = String(clientId);
    await this.stateKey.hashSet({ ...state }, STATE_TTL_MS);
    this.deps.logger.info('rightnow agent session established', { tenant: this.deps.tenantId });
    this.current = state;
    return state;
  }

  /**
   * The chat server moved this session to another pool (ChatConfigChangeNotification). Stored, so the
   * other instances move too (see call()).
   */
  async changePool(pool: string): Promise<void> {
    const state = await this.get();
    if (state.pool === pool) return;
    this.current = { ...state, pool };
    await this.stateKey.hashSet({ pool }, STATE_TTL_MS);
  }

  /**
   * After a refusal: the same session under another pool in the store means the poller (maybe another
   * instance) was told of a move this process has not seen. Adopted; undefined when nothing changed.
   */
  private async movedPool(used: SessionState): Promise<SessionState | undefined> {
    const stored = await this.stored();
    if (!stored || stored.sessionId !== used.sessionId || stored.pool === used.pool) return undefined;
    this.current = stored;
    return stored;
  }

  nextSequence(): Promise<number> {
    return this.sequenceKey.increment();
  }

  private async target(state: SessionState): Promise<ChatTarget> {
    return { ...state, jwt: await this.jwt.get() };
  }

  /**
   * Sends one sequenced operation on the current session. A refused sequence number (another instance's
   * request overtook ours) is retried once with a fresh number; ACCESS_DENIED surfaces as AuthExpiredError.
   */
  async call<O extends AgentOperation, S extends z.ZodType = typeof GenericReply>(
    operation: O,
    body: Omit<AgentRequests[O], 'sequenceNumber' | 'timeCreated'>,
    options: { signal?: AbortSignal; reply?: S } = {},
  ): Promise<{ state: SessionState; sequenceNumber: number; reply: z.output<S> }> {
    const attempt = (state: SessionState) =>
      this.serialized(async () => {
        const target = await this.target(state);
        const sequenceNumber = await this.nextSequence();
        // The caller's body plus the two fields every sequenced request takes: TypeScript cannot see through the Omit.
        const full = { ...body, sequenceNumber, timeCreated: Date.now() } as AgentRequests[O];
        const reply = await this.deps.api.call(operation, target, full, options);
        return { state, sequenceNumber, reply };
      });
    const state = await this.get();
    try {
      return await attempt(state);
    } catch (err) {
      if (err instanceof SequenceRejectedError) return attempt(state);
      const moved = err instanceof PermanentError ? await this.movedPool(state) : undefined;
      if (moved) return attempt(moved);
      throw err;
    }
  }

  /** A read that carries no sequence number (getMessages), not serialized behind the writes. */
  async read<T>(fn: (target: ChatTarget, state: SessionState) => Promise<T>): Promise<T> {
    const state = await this.get();
    try {
      return await fn(await this.target(state), state);
    } catch (err) {
      const moved = err instanceof PermanentError ? await this.movedPool(state) : undefined;
      if (moved) return fn(await this.target(moved), moved);
      throw err;
    }
  }

  /** Logs the session off and forgets it, so the next owner starts a fresh one. */
  async logoff(): Promise<void> {
    const state = this.current;
    if (!state) return;
    try {
      await this.call('logoff', { forceLogoff: true });
    } finally {
      this.current = undefined;
      const stored = await this.stateKey.hashGetAll();
      if (stored.sessionId === state.sessionId) await this.stateKey.delete();
    }
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The JWT's own `exp` when readable, else a conservative default. Never logged. */
function jwtLifetimeMs(jwt: string): number {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof payload.exp === 'number') return Math.max(payload.exp * 1000 - Date.now(), 0);
  } catch {
    // not a JWT we can read: fall through to the default
  }
  return DEFAULT_JWT_LIFETIME_MS;
}
