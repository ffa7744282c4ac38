#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/load.js';
import { createLogger } from '../observability/logger.js';
import { createRegistry } from '../platforms.js';
import { type Sandbox, startSandbox } from '../sandbox.js';
import { ChatbridgeService } from '../service.js';

function configSource(source: string): string {
  if (!existsSync(source)) throw new ConfigError([{ path: source, problem: 'no such file or folder' }]);
  return source;
}

function commandConfigSource(option: string | undefined): string {
  const source = option ?? process.env.CHATBRIDGE_CONFIG;
  if (!source) throw new ConfigError([{ path: '--config', problem: 'name a configuration file (or set CHATBRIDGE_CONFIG)' }]);
  return configSource(source);
}

function printSandboxBanner(sandbox: Sandbox, bridgeUrl: string): void {
  const tenant = sandbox.config.tenants[0]!;
  const lines = [
    '',
    'chatbridge sandbox: no configuration given, so the bridge runs with every vendor simulated on loopback.',
    `  bridge            ${bridgeUrl}   (health: /healthz, metrics: /metrics)`,
    ...sandbox.platforms.map((p) => `  ${p.platform.padEnd(17)} ${p.url}   (${p.role} side)`),
    `  tenant            ${tenant.id}: ${tenant.routes.map((r) => `${r.customer} -> ${r.agents.map((a) => a.platform).join(' + ')}`).join('; ')}`,
    `  admin token       ${sandbox.config.server.adminToken} (sandbox only; GET /admin/dead-letters)`,
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
const program = new Command('chatbridge').description('Bridges live customer-service chat between vendors');

program
  .command('start')
  .description('run the bridge; with no configuration, the sandbox (bridge + every simulator on loopback)')
  .option('-c, --config <file>', 'YAML file or folder (default: CHATBRIDGE_CONFIG; neither: the sandbox)')
  .action(async (opts: { config?: string }) => {
    const source = opts.config ?? process.env.CHATBRIDGE_CONFIG;
    let sandbox: Sandbox | undefined;
    let config;
    try {
      if (source) config = loadConfig(configSource(source), registry);
      else {
        sandbox = await startSandbox(registry, { port: process.env.PORT ? Number(process.env.PORT) : 8080 });
        config = sandbox.config;
      }
    } catch (err) {
      reportConfigError(err);
    }
    const logger = createLogger({ level: config.logging.level });
    const service = new ChatbridgeService(config, registry, { logger, configSource: source });
    service.installSignalHandlers({ afterStop: () => sandbox?.close() });
    try {
      await service.start();
    } catch (err) {
      await sandbox?.close();
      throw err;
    }
    logger.info('chatbridge listening', { url: service.url, store: config.store.kind, tenants: config.tenants.map((t) => t.id) });
    if (sandbox) printSandboxBanner(sandbox, service.url);
  });

program
  .command('validate-config')
  .description('check a configuration without starting; prints OK or every problem')
  .argument('<file>', 'YAML file or folder')
  .action((file: string) => {
    try {
      const config = loadConfig(configSource(file), registry);
      process.stdout.write(`OK: ${config.tenants.length} tenant(s): ${config.tenants.map((t) => t.id).join(', ')}\n`);
    } catch (err) {
      reportConfigError(err);
    }
  });

for (const platform of registry.names()) {
  const factory = registry.get(platform)!;
  if (!factory.commands?.length) continue;
  const group = program.command(platform).description(`${platform} operator commands`);
  for (const command of factory.commands) {
    group
      .command(command.name)
      .description(command.description)
      .requiredOption('-t, --tenant <id>', 'tenant id')
      .option('-c, --config <file>', 'YAML file or folder')
      .action(async (opts: { tenant: string; config?: string }) => {
        let config;
        try {
          config = loadConfig(commandConfigSource(opts.config), registry);
        } catch (err) {
          reportConfigError(err);
        }
        const tenant = config.tenants.find((t) => t.id === opts.tenant);
        if (!tenant || !(platform in tenant.platforms)) {
          process.stderr.write(`tenant ${opts.tenant} has no ${platform} block\n`);
          process.exit(2);
        }
        await command.run({
          tenantId: tenant.id,
          config: tenant.platforms[platform],
          logger: createLogger({ level: config.logging.level }),
          print: (line) => process.stdout.write(`${line}\n`),
        });
      });
  }
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`chatbridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
