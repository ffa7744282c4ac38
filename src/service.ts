import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bridge, type BridgeOptions } from './bridge.js';
import type { BridgeConfig } from './config/schema.js';
import { createApp } from './http/app.js';
import type { PlatformRegistry } from './platform/registry.js';

/** The bridge behind its HTTP server, with an orderly stop: intake first, then delivery, then the store. */
export class ChatbridgeService {
  readonly bridge: Bridge;
  private server: Server | undefined;
  private stopping: Promise<void> | undefined;

  constructor(config: BridgeConfig, registry: PlatformRegistry, options: BridgeOptions = {}) {
    this.bridge = new Bridge(config, registry, options);
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  }

  async start(): Promise<this> {
    await this.bridge.start();
    const { port, host } = this.bridge.config.server;
    const app = createApp(this.bridge);
    await new Promise<void>((resolve, reject) => {
      const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve()));
      server.on('error', reject);
      // Vendors time out long before this; a slow client must not hold a socket forever.
      server.requestTimeout = 30_000;
      server.headersTimeout = 10_000;
      this.server = server;
    });
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
      await this.bridge.stop();
    })();
    return this.stopping;
  }

  /** SIGTERM/SIGINT: stop once, exit 0 when drained; a second signal exits at once. */
  installSignalHandlers(
    options: { exit?: (code: number) => void; afterStop?: () => Promise<void> | undefined } = {},
  ): void {
    const exit = options.exit ?? ((code: number) => process.exit(code));
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) return exit(1);
      signalled = true;
      this.bridge.logger.info('stopping', { signal });
      this.stop()
        .then(() => options.afterStop?.())
        .then(
        () => exit(0),
        (err: unknown) => {
          this.bridge.logger.error('stop failed', { error: err });
          exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
}
