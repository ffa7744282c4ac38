#!/usr/bin/env node
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { Command, Option } from 'commander';
import { runPrimary } from '../cluster/primary.js';
import { runClusterWorker } from '../cluster/worker.js';
import { workerCount } from '../cluster/worker-count.js';
import { ConfigError, loadConfig } from '../config/load.js';
import type { BridgeConfig } from '../config/schema.js';
import { createLogger } from '../observability/logger.js';
import { createRegistry } from '../composition-root.js';
import { type Sandbox, startSandbox } from '../sandbox/sandbox.js';
import { requestSay, SANDBOX_STATE_FILE, type SandboxControl, serveSandboxControl } from '../sandbox/control.js';
import type { SayReport } from '../sandbox/say.js';
import { ChatbridgeService } from '../service.js';
import { chatbridgeVersion } from './version.js';

/** Commander's name for a `--kebab-case` option's value. */
function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function configSource(source: string): string {
  if (!existsSync(source)) throw new ConfigError([{ path: source, problem: 'no such file or folder' }]);
  return source;
}

function commandConfigSource(option: string | undefined): string {
  const source = option ?? process.env.CHATBRIDGE_CONFIG;
  if (!source) throw new ConfigError([{ path: '--config', problem: 'name a configuration file (or set CHATBRIDGE_CONFIG)' }]);
  return configSource(source);
}

/** How to call this CLI again from the same folder: `chatbridge` when installed, else `node <path>` (a fresh clone). */
function selfCommand(): string {
  const script = process.argv[1] ?? '';
  return basename(script) === 'chatbridge' ? 'chatbridge' : `node ${relative(process.cwd(), script)}`;
}

function printSandboxBanner(sandbox: Sandbox, bridgeUrl: string): void {
  const tenant = sandbox.config.tenants[0]!;
  const lines = [
    '',
    'chatbridge sandbox: no configuration given, so the bridge runs with every vendor simulated on loopback.',
    `  bridge            ${bridgeUrl}   (health: /healthz, metrics: /metrics)`,
    ...sandbox.platforms.map((p) => `  ${p.platform.padEnd(17)} ${p.url}   (${p.role} side)`),
    `  tenant            ${tenant.id}: ${tenant.routes.map((r) => `${r.customer} -> ${r.agents.map((a) => a.platform).join(' + ')}`).join('; ')}`,
    `  status page       ${bridgeUrl}/admin   (sign in with the sandbox-only token ${sandbox.config.server.adminToken})`,
    `  try it            ${selfCommand()} sandbox say --tenant ${tenant.id} --as customer "Hello"   (then --as agent)`,
    'A production configuration (--config FILE or CHATBRIDGE_CONFIG) starts the bridge alone.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

function reportConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

const registry = createRegistry();
const program = new Command('chatbridge')
  .description('Bridges live customer-service chat between vendors')
  .version(chatbridgeVersion(), '-V, --version', 'print the version');

program
  .command('start')
  .description('run the bridge; with no configuration, the sandbox (bridge + every simulator on loopback)')
  .option('-c, --config <file>', 'YAML file or folder (default: CHATBRIDGE_CONFIG; neither: the sandbox)')
  .option('-w, --workers <n>', 'bridge processes sharing the port (default: CHATBRIDGE_WORKERS, else one per core with a Redis store, 1 with memory)')
  .action(async (opts: { config?: string; workers?: string }) => {
    const source = opts.config ?? process.env.CHATBRIDGE_CONFIG;
    // A worker of `--workers N` runs the start command again: the primary already read and checked everything.
    if (cluster.isWorker) return startWorker(source);
    let config: BridgeConfig | undefined;
    let workers = 1;
    try {
      config = source ? loadConfig(configSource(source), registry) : undefined;
      // The sandbox is memory mode: one process.
      workers = workerCount(opts.workers ?? process.env.CHATBRIDGE_WORKERS, config?.store.kind ?? 'memory');
    } catch (err) {
      reportConfigError(err);
    }
    if (config && workers > 1) {
      const logger = createLogger({ level: config.logging.level, fields: { pid: process.pid } });
      runPrimary({
        workers,
        logger,
        onListening: (url) => logger.info('chatbridge listening', { url, workers, store: config.store.kind, tenants: config.tenants.map((t) => t.id) }),
      });
      return;
    }
    await startSingle(source, config);
  });

/** One worker of `chatbridge start --workers N`: the bridge, stopped by the primary's SIGTERM. */
async function startWorker(source: string | undefined): Promise<void> {
  const config = loadConfig(configSource(source!), registry);
  const logger = createLogger({ level: config.logging.level, fields: { pid: process.pid } });
  await runClusterWorker(new ChatbridgeService(config, registry, { logger, configSource: source }));
}

/** The bridge in this process: from a configuration, or the sandbox when there is none. */
async function startSingle(source: string | undefined, loaded: BridgeConfig | undefined): Promise<void> {
  let sandbox: Sandbox | undefined;
  let config = loaded;
  if (!config) {
    try {
      sandbox = await startSandbox(registry, { port: process.env.PORT ? Number(process.env.PORT) : 8080 });
    } catch (err) {
      reportConfigError(err);
    }
    config = sandbox.config;
  }
  const logger = createLogger({ level: config.logging.level });
  const service = new ChatbridgeService(config, registry, { logger, configSource: source });
  let control: SandboxControl | undefined;
  const closeSandbox = async () => {
    await control?.close();
    await sandbox?.close();
  };
  service.installSignalHandlers({ afterStop: () => (sandbox ? closeSandbox() : undefined) });
  try {
    await service.start();
    // A read-only working folder (a container image) costs only `sandbox say`, not the sandbox.
    if (sandbox) {
      control = await serveSandboxControl(sandbox, service.bridge, { bridgeUrl: service.url, stateFile: SANDBOX_STATE_FILE }).catch((err: Error) => {
        logger.warn('chatbridge sandbox say is unavailable', { reason: err.message });
        return undefined;
      });
    }
  } catch (err) {
    await closeSandbox();
    throw err;
  }
  logger.info('chatbridge listening', { url: service.url, store: config.store.kind, tenants: config.tenants.map((t) => t.id) });
  if (sandbox) printSandboxBanner(sandbox, service.url);
}

program
  .command('validate-config')
  .description('check a configuration without starting; prints OK or every problem')
  .argument('[file]', 'YAML file or folder (default: CHATBRIDGE_CONFIG)')
  .action((file: string | undefined) => {
    try {
      const config = loadConfig(commandConfigSource(file), registry);
      process.stdout.write(`OK: ${config.tenants.length} tenant(s): ${config.tenants.map((t) => t.id).join(', ')}\n`);
    } catch (err) {
      reportConfigError(err);
    }
  });

function printSayReport(report: SayReport, text: string): void {
  const { said, expected } = report;
  const target = `the ${expected.role} in ${expected.platform}${expected.conversation ? ` conversation ${expected.conversation}` : ''}`;
  process.stdout.write(
    [
      `said as the ${said.role} in ${said.platform} conversation ${said.conversation}: ${JSON.stringify(text)}`,
      report.delivered
        ? `delivered to ${target}${report.conversationId ? ` (bridge conversation ${report.conversationId})` : ''}`
        : `not seen by ${target} yet: watch the bridge log or its /admin page`,
      '',
    ].join('\n'),
  );
}

program
  .command('sandbox')
  .description('drive the running sandbox (`npm start` with no configuration) from another terminal')
  .command('say')
  .description('say something as a customer or an agent at a simulator and see where the bridge delivers it')
  .argument('<text>', 'what to say')
  .requiredOption('-t, --tenant <id>', 'tenant id (the sandbox has demo)')
  .addOption(new Option('--as <role>', 'who speaks').choices(['customer', 'agent']).makeOptionMandatory())
  .option('--state <file>', 'the running sandbox\'s state file', SANDBOX_STATE_FILE)
  .action(async (text: string, opts: { tenant: string; as: 'customer' | 'agent'; state: string }) => {
    try {
      printSayReport(await requestSay(opts.state, { tenant: opts.tenant, as: opts.as, text }), text);
    } catch (err) {
      process.stderr.write(`chatbridge sandbox say: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  });

for (const platform of registry.names()) {
  const factory = registry.get(platform)!;
  if (!factory.commands?.length) continue;
  const group = program.command(platform).description(`${platform} operator commands`);
  for (const command of factory.commands) {
    const sub = group
      .command(command.name)
      .description(command.description)
      .requiredOption('-t, --tenant <id>', 'tenant id')
      .option('-c, --config <file>', 'YAML file or folder');
    for (const flag of command.flags ?? []) sub.option(`--${flag.name}`, flag.description);
    sub.action(async (opts: { tenant: string; config?: string } & Record<string, unknown>) => {
        let config;
        try {
          config = loadConfig(commandConfigSource(opts.config), registry);
        } catch (err) {
          reportConfigError(err);
        }
        const tenant = config.tenants.find((t) => t.id === opts.tenant);
        if (!tenant) {
          process.stderr.write(`no such tenant ${opts.tenant} (tenants: ${config.tenants.map((t) => t.id).join(', ')})\n`);
          process.exit(2);
        }
        if (!(platform in tenant.platforms)) {
          process.stderr.write(`tenant ${opts.tenant} has no ${platform} block\n`);
          process.exit(2);
        }
        const flags = Object.fromEntries((command.flags ?? []).map((f) => [f.name, opts[camelCase(f.name)] === true]));
        const outcome = await command.run({
          tenantId: tenant.id,
          config: tenant.platforms[platform],
          logger: createLogger({ level: config.logging.level, stderr: true }),
          flags,
          print: (line) => process.stdout.write(`${line}\n`),
        });
        if (outcome === false) process.exitCode = 1;
      });
  }
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`chatbridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
