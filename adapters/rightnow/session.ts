import { TokenCache } from '../../src/auth/token-cache.js';
import { AuthExpiredError } from '../../src/errors.js';
import type { Logger } from '../../src/observability/logger.js';
import type { MappingStore } from '../../src/store/mapping-store.js';
import { type AgentApi, type ChatTarget, type ConnectRestClient } from './api.js';
import type { RightNowConfig } from './config.js';
import { SequenceRejectedError } from './errors.js';
import { type AgentOperation, CreateAgentSessionReply } from './wire.js';

/** The agent session as every instance of the tenant shares it through the store. */
export interface SessionState {
  sessionId: string;
  clientId?: string;
  chatServer: string;
  siteName: string;
  pool: string;
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
  private readonly stateKey: string;
  private readonly sequenceKey: string;

  constructor(
    private readonly deps: {
      tenantId: string;
      config: RightNowConfig;
      store: MappingStore;
      connect: ConnectRestClient;
      api: AgentApi;
      logger: Logger;
    },
  ) {
    const { store, tenantId, config } = deps;
    this.stateKey = store.key('rightnow', 'session', tenantId, config.agentAccountId);
    this.sequenceKey = store.key('rightnow', 'seq', tenantId, config.agentAccountId);
    this.jwt = new TokenCache(async () => {
      const value = await deps.connect.agentToken();
      return { value, expiresAt: Date.now() + jwtLifetimeMs(value) };
    });
  }

  /** The session to use: this process's, else the shared one, else a new one. */
  async get(): Promise<SessionState> {
    if (this.current) return this.current;
    const stored = await this.deps.store.hashGetAll(this.stateKey);
    if (stored.sessionId && stored.chatServer && stored.siteName && stored.pool) {
      this.current = stored as unknown as SessionState;
      return this.current;
    }
    return this.renew();
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
    const stored = await this.deps.store.hashGetAll(this.stateKey);
    if (stored.sessionId && stored.sessionId !== staleId && stored.chatServer && stored.siteName && stored.pool) {
      this.current = stored as unknown as SessionState;
      return this.current;
    }
    const settings = await this.deps.connect.serviceSettings();
    const target: ChatTarget = {
      chatServer: this.deps.connect.chatServerOf(settings),
      siteName: settings.siteName,
      pool: settings.pool,
      jwt: await this.jwt.get(),
    };
    const body = {
      logonOverride: this.deps.config.logonOverride,
      sequenceNumber: await this.nextSequence(),
      timeCreated: Date.now(),
    };
    const reply = await this.deps.api
      .call('createAutomatedAgentSession', target, body, { reply: CreateAgentSessionReply })
      .catch((err: unknown) => {
        if (err instanceof AuthExpiredError) this.jwt.invalidate(target.jwt);
        throw err;
      });
    const sessionId = reply.sessionId ?? reply.chatLogonResult?.sessionId;
    if (!sessionId) throw new AuthExpiredError('rightnow createAutomatedAgentSession answered without a session id');
    const clientId = reply.clientId ?? reply.chatLogonResult?.clientId;
    const state: SessionState = { sessionId, chatServer: target.chatServer, siteName: target.siteName, pool: target.pool };
    if (clientId !== undefined) state.clientId = String(clientId);
    await this.deps.store.hashSet(this.stateKey, { ...state }, STATE_TTL_MS);
    this.deps.logger.info('rightnow agent session established', { tenant: this.deps.tenantId });
    this.current = state;
    return state;
  }

  /** The chat server moved this session to another pool (ChatConfigChangeNotification). */
  async changePool(pool: string): Promise<void> {
    if (!this.current || this.current.pool === pool) return;
    this.current = { ...this.current, pool };
    await this.deps.store.hashSet(this.stateKey, { pool }, STATE_TTL_MS);
  }

  nextSequence(): Promise<number> {
    return this.deps.store.increment(this.sequenceKey);
  }

  private async target(state: SessionState): Promise<ChatTarget> {
    return { ...state, jwt: await this.jwt.get() };
  }

  /**
   * Sends one sequenced operation on the current session. A refused sequence number (another instance's
   * request overtook ours) is retried once with a fresh number; ACCESS_DENIED surfaces as AuthExpiredError.
   */
  async call(
    operation: AgentOperation,
    body: Record<string, unknown>,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ state: SessionState; sequenceNumber: number }> {
    const state = await this.get();
    const target = await this.target(state);
    const attempt = () =>
      this.serialized(async () => {
        const sequenceNumber = await this.nextSequence();
        await this.deps.api.call(operation, target, { ...body, sequenceNumber, timeCreated: Date.now() }, options);
        return { state, sequenceNumber };
      });
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof SequenceRejectedError) return attempt();
      throw err;
    }
  }

  /** A read that carries no sequence number (getMessages), not serialized behind the writes. */
  async read<T>(fn: (target: ChatTarget, state: SessionState) => Promise<T>): Promise<T> {
    const state = await this.get();
    return fn(await this.target(state), state);
  }

  /** Logs the session off and forgets it, so the next owner starts a fresh one. */
  async logoff(): Promise<void> {
    const state = this.current;
    if (!state) return;
    try {
      await this.call('logoff', { forceLogoff: true });
    } finally {
      this.current = undefined;
      const stored = await this.deps.store.hashGetAll(this.stateKey);
      if (stored.sessionId === state.sessionId) await this.deps.store.delete(this.stateKey);
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
