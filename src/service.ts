import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bridge, type BridgeOptions } from './bridge.js';
import { ConfigError, loadConfig } from './config/load.js';
import type { PeerReloads } from './config/peer-reloads.js';
import type { ReloadOutcome } from './config/reload-plan.js';
import type { BridgeConfig } from './config/schema.js';
import { createApp } from './http/app.js';
import { listen } from './http/listen.js';
import type { InstanceViews } from './observability/instance-views.js';
import type { AdapterRegistry } from './ports/registry.js';

export interface ServiceOptions extends BridgeOptions {
  /** The YAML file or folder the configuration came from: `POST /admin/reload` and SIGHUP re-read it. */
  configSource?: string;
  /** Where `${NAME}` placeholders are read from on reload. */
  env?: NodeJS.ProcessEnv;
}

/** The bridge behind its HTTP server, with an orderly stop: intake first, then delivery, then the store. */
export class ChatbridgeService {
  readonly bridge: Bridge;
  private server: Server | undefined;
  private stopping: Promise<void> | undefined;
  /** Redis mode with a configuration source: an admin reload here is announced to the other instances. */
  private readonly peers: PeerReloads | undefined;
  private views: InstanceViews | undefined;

  constructor(
    config: BridgeConfig,
    private readonly registry: AdapterRegistry,
    private readonly options: ServiceOptions = {},
  ) {
    this.bridge = new Bridge(config, registry, options);
    if (this.canReload) this.peers = this.bridge.peers;
  }

  /** What `/metrics` and the admin views read, set before start: by default this process; a cluster worker's read every worker's. */
  useViews(views: InstanceViews): void {
    this.views = views;
  }

  get canReload(): boolean {
    return this.options.configSource !== undefined;
  }

  /**
   * Re-reads the configuration source and applies it. An invalid configuration changes nothing: the
   * outcome lists every problem and the running configuration stays.
   */
  async reload(): Promise<ReloadOutcome> {
    const source = this.options.configSource;
    if (source === undefined) throw new Error('this service was started without a configuration source');
    let next: BridgeConfig;
    try {
      next = loadConfig(source, this.registry, this.options.env ?? process.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.bridge.logger.warn('configuration reload refused: the running configuration stays', { problems: err.problems });
      return { reloaded: false, problems: err.problems };
    }
    return this.bridge.reload(next);
  }

  /**
   * The admin API's reload: this instance re-reads its source and, once that applied, the other
   * instances on the same Redis are told to re-read theirs (`peersNotified`: how many heard it).
   */
  async reloadEverywhere(): Promise<ReloadOutcome & { peersNotified?: number }> {
    const outcome = await this.reload();
    if (!outcome.reloaded || !this.peers) return outcome;
    return { ...outcome, peersNotified: await this.peers.announce() };
  }

  /** Another instance reloaded through the admin API: re-read this one's source (the outcome is logged by reload). */
  private reloadForPeer(): void {
    this.bridge.logger.info('configuration reload asked by another instance');
    this.reload().catch((err: unknown) => this.bridge.logger.error('configuration reload failed', { error: err }));
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  }

  async start(): Promise<this> {
    await this.bridge.start();
    await this.peers?.listen(() => this.reloadForPeer());
    const app = createApp(this.bridge, { reload: this.canReload ? () => this.reloadEverywhere() : undefined, views: this.views });
    this.server = await listen(app, this.bridge.config.server);
    this.bridge.fileLinks.listeningAt(this.url);
    return this;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const server = this.server;
      if (server) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
      }
      await this.peers?.close();
      await this.bridge.stop();
    })();
    return this.stopping;
  }

  /**
   * SIGTERM/SIGINT (or `stopSignals`): stop once, exit 0 when drained (1 when memory mode left events undelivered, logged
   * with their count); a second signal exits at once. SIGHUP: reload the
   * configuration (the outcome is logged). Returns a function that removes the handlers.
   */
  installSignalHandlers(
    options: { exit?: (code: number) => void; afterStop?: () => Promise<void> | undefined; stopSignals?: NodeJS.Signals[] } = {},
  ): () => void {
    const exit = options.exit ?? ((code: number) => process.exit(code));
    const stopSignals = options.stopSignals ?? ['SIGTERM', 'SIGINT'];
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) return exit(1);
      signalled = true;
      this.bridge.logger.info('stopping', { signal });
      this.stop()
        .then(() => options.afterStop?.())
        .then(
        () => exit(this.bridge.undeliveredAtStop > 0 ? 1 : 0),
        (err: unknown) => {
          this.bridge.logger.error('stop failed', { error: err });
          exit(1);
        },
      );
    };
    const onHangup = () => {
      if (!this.canReload) {
        this.bridge.logger.warn('SIGHUP ignored: the service was started without a configuration file');
        return;
      }
      // The outcome (applied or refused with its problems) is logged by reload itself.
      this.reload().catch((err: unknown) => this.bridge.logger.error('configuration reload failed', { error: err }));
    };
    for (const signal of stopSignals) process.on(signal, onSignal);
    process.on('SIGHUP', onHangup);
    return () => {
      for (const signal of stopSignals) process.off(signal, onSignal);
      process.off('SIGHUP', onHangup);
    };
  }
}
