import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { createRegistry } from '../../src/composition-root.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';
import { type SandboxControl, serveSandboxControl } from '../../src/sandbox/control.js';
import { ChatbridgeService } from '../../src/service.js';

export interface RunningSandbox {
  sandbox: Sandbox;
  service: ChatbridgeService;
  control: SandboxControl;
  stateFile: string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now: the sandbox's webhook URLs must name the bridge's port before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * What `npm start` with no configuration runs, in-process: simulators, the bridge and the control endpoint.
 * The bridge's port is chosen before the simulators start (their webhook URLs name it), so one of them, or
 * another test process, may take it first: that start is tried again on a new port.
 */
export async function runSandbox(): Promise<RunningSandbox> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRunningSandbox();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 5) throw err;
    }
  }
}

async function startRunningSandbox(): Promise<RunningSandbox> {
  const registry = createRegistry();
  const sandbox = await startSandbox(registry, { port: await freePort() });
  const service = new ChatbridgeService(sandbox.config, registry, {
    logger: createLogger({ silent: true }),
    metrics: new Metrics(),
    worker: { pollMs: 50 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'cb-sandbox-'));
  const stateFile = join(dir, '.sandbox.json');
  try {
    await service.start();
    const control = await serveSandboxControl(sandbox, service.bridge, { bridgeUrl: service.url, stateFile });
    const stop = async () => {
      await control.close();
      await service.stop();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    };
    return { sandbox, service, control, stateFile, stop };
  } catch (err) {
    await service.stop();
    await sandbox.close();
    throw err;
  }
}
