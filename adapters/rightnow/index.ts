import type {
  ConversationHandle,
  NativeHandOver,
  OutboundHandlers,
  Connector,
  Adapter,
  ConnectorRuntime,
} from '../../src/ports/adapter.js';
import { AgentApi, ConnectRestClient } from './api.js';
import { checkCommand } from './check-command.js';
import { type RightNowConfig, RightNowConfigSchema } from './config.js';
import { EndUserClients } from './end-users.js';
import { EngagementRelease } from './engagement-release.js';
import { PollLease } from './lease.js';
import { MovedKey } from '../../src/store/moved-key.js';
import { NativeAgents } from './native-agents.js';
import { RightNowOutbound } from './outbound.js';
import { PollLoop } from './poller.js';
import { rightnowSandbox } from './sandbox.js';
import { AgentSession } from './session.js';
import { PLATFORM } from './wire.js';

/**
 * chatbridge as an automated agent in RightNow / B2C Service Chat: end users keep the RightNow chat
 * widget, a long-poll loop brings their engagements in, and the other platform's agents post into them.
 */
export class RightNowConnector implements Connector {
  readonly platform = PLATFORM;
  readonly session: AgentSession;
  readonly outbound: OutboundHandlers;
  private readonly lease: PollLease;
  private readonly loop: PollLoop;
  private readonly release: EngagementRelease;
  private readonly native: NativeAgents;
  private started = false;

  constructor(
    config: RightNowConfig,
    private readonly runtime: ConnectorRuntime,
  ) {
    const api = new AgentApi(config.agentAccountId, config.requestTimeoutMs, runtime.vendorHttp);
    this.session = new AgentSession({
      tenantId: runtime.tenantId,
      config,
      store: runtime.store,
      key: runtime.key,
      connect: new ConnectRestClient(config, runtime.vendorHttp),
      api,
      logger: runtime.logger,
    });
    // LEGACY: the lease is claimed on the key earlier releases used too, until MovedKey goes (src/store/moved-key.ts).
    const leaseKey = new MovedKey(
      runtime.store,
      runtime.key('lease', config.agentAccountId),
      runtime.store.key(PLATFORM, 'lease', runtime.tenantId, config.agentAccountId),
    );
    this.lease = new PollLease(leaseKey, config.leaseMs);
    const engagementDeps = {
      session: this.session,
      store: runtime.store,
      key: runtime.key,
      tenantId: runtime.tenantId,
      agentAccountId: config.agentAccountId,
      logger: runtime.logger,
    };
    this.release = new EngagementRelease({ ...engagementDeps, onReleased: () => this.loop.wantAssignment() });
    this.outbound = new RightNowOutbound({ session: this.session, config, release: this.release }).handlers;
    this.native = new NativeAgents({ ...engagementDeps, onRerouted: () => this.loop.wantAssignment() });
    const endUsers = new EndUserClients(runtime.store, runtime.key, runtime.tenantId, config.agentAccountId);
    this.loop = new PollLoop({ session: this.session, api, lease: this.lease, runtime, config, endUsers, release: this.release, native: this.native });
  }

  /** Whether this instance currently runs the session's long poll. */
  get polling(): boolean {
    return this.lease.isHeld;
  }

  /** To RightNow's own agents by `rerouteEngagement` (why not DECLINE: native-agents.ts). */
  handToNativeAgents(conversation: ConversationHandle, handOver: NativeHandOver): Promise<void> {
    return this.native.handOver(conversation, handOver);
  }

  /** After ACCESS_DENIED/403: a fresh agent session (or the one another instance already made). */
  async refreshAuth(): Promise<void> {
    await this.session.renew();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.loop.start();
  }

  /**
   * Ends the loop; the poller logs the session off and gives the lease back. On a hand-over (reload)
   * the outstanding poll is finished rather than aborted, and the session stays: logging it off would
   * end every live engagement, and the new connector adopts it once it gets the lease.
   */
  async stop(options: { handOver?: boolean } = {}): Promise<void> {
    const wasPolling = this.lease.isHeld;
    await (options.handOver ? this.loop.finish() : this.loop.stop());
    if (wasPolling && !options.handOver) {
      await this.session.logoff().catch((err: unknown) =>
        this.runtime.logger.warn('rightnow logoff failed', {
          tenant: this.runtime.tenantId,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }
    await this.lease.release().catch(() => undefined);
  }

  /**
   * Stops polling the way a crashed instance would: no logoff, the lease left to expire.
   * For failover drills (sandbox, tests); production shutdown uses stop().
   */
  async halt(): Promise<void> {
    await this.loop.stop();
    this.lease.abandon();
  }
}

export const rightnowAdapter: Adapter<RightNowConfig> = {
  platform: PLATFORM,
  roles: ['customer'],
  capabilities: ['handToNativeAgents'],
  configSchema: RightNowConfigSchema,
  commands: [checkCommand],
  sandbox: rightnowSandbox,
  create: ({ config, runtime }) => new RightNowConnector(config, runtime),
};
