#!/usr/bin/env node
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/load.js';
import { createLogger } from '../observability/logger.js';
import { createRegistry } from '../platforms.js';
import { ChatbridgeService } from '../service.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The embedded default: used when neither --config nor CHATBRIDGE_CONFIG names one. */
export const DEFAULT_CONFIG = path.join(packageRoot, 'config', 'chatbridge.yaml');

function configSource(option: string | undefined): string {
  const source = option ?? process.env.CHATBRIDGE_CONFIG ?? DEFAULT_CONFIG;
  if (!existsSync(source)) throw new ConfigError([{ path: source, problem: 'no such file or folder' }]);
  return source;
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
  .description('run the bridge')
  .option('-c, --config <file>', 'YAML file or folder (default: CHATBRIDGE_CONFIG, then config/chatbridge.yaml)')
  .action(async (opts: { config?: string }) => {
    let config;
    try {
      config = loadConfig(configSource(opts.config), registry);
    } catch (err) {
      reportConfigError(err);
    }
    const logger = createLogger({ level: config.logging.level });
    const service = new ChatbridgeService(config, registry, { logger });
    service.installSignalHandlers();
    await service.start();
    logger.info('chatbridge listening', {
      url: service.url,
      store: config.store.kind,
      tenants: config.tenants.map((t) => t.id),
    });
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
          config = loadConfig(configSource(opts.config), registry);
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
