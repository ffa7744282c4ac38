import http from 'node:http';
import { InboundError } from '../../src/errors.js';
import type { Connector, Adapter, RawInbound, RouteRole, SandboxSimulator } from '../../src/ports/adapter.js';
import { type FakeRuntime, fakeRuntime } from './fake-runtime.js';
import { closeNow, listenOnLoopback } from './loopback-server.js';

/** One platform playing one role against its own simulator, as the adapter contract drives it. */
export interface ContractSubject {
  readonly factory: Adapter<unknown>;
  readonly role: RouteRole;
  readonly tenantId: string;
  /** The tenant's configuration from the platform's sandbox provider, pointing at the simulator. */
  readonly config: unknown;
  readonly runtime: FakeRuntime;
  readonly connector: Connector;
  readonly sandbox: SandboxSimulator<unknown>;
  /** Stops the connector, closes the simulator and the webhook receiver. */
  close(): Promise<void>;
}

/**
 * Starts `factory`'s simulator for `role` from the platform's own sandbox provider and creates a connector
 * on it with a fake runtime. The simulator's webhooks reach the connector through a receiver that walks the
 * core's webhook path in miniature (verify over the raw bytes, parse, normalize, ingest).
 */
export async function startSubject(factory: Adapter<unknown>, role: RouteRole, tenantId = 'contract'): Promise<ContractSubject> {
  if (!factory.sandbox) throw new Error(`${factory.platform} has no sandbox provider: the contract runs a platform against its simulator`);
  const runtime = fakeRuntime({ platform: factory.platform, tenantId });
  let connector: Connector | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receive(connector, runtime, { headers: req.headers, rawBody: Buffer.concat(chunks) }).then(
        (status) => res.writeHead(status, { 'Content-Type': 'application/json' }).end('{}'),
        () => res.writeHead(500).end(),
      );
    });
  });
  const url = await listenOnLoopback(server);
  const sandbox = await factory.sandbox.start({ tenantId, role, webhookUrl: `${url}/webhooks/${tenantId}/${factory.platform}` });
  connector = factory.create({ config: sandbox.config, runtime });
  const created = connector;
  return {
    factory,
    role,
    tenantId,
    config: sandbox.config,
    runtime,
    connector: created,
    sandbox,
    async close() {
      try {
        await created.stop?.();
      } finally {
        await sandbox.close();
        await closeNow(server);
      }
    },
  };
}

/** The HTTP status the core would answer a webhook with. */
async function receive(connector: Connector | undefined, runtime: FakeRuntime, raw: RawInbound): Promise<number> {
  if (!connector?.verify || !connector.normalize) return 404;
  try {
    await connector.verify(raw);
    const events = await connector.normalize(JSON.parse(raw.rawBody.toString('utf8')) as unknown);
    await runtime.ingest(events);
    return 200;
  } catch (err) {
    if (err instanceof InboundError) return err.status;
    throw err;
  }
}
