import { readFileSync } from 'node:fs';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { ChatbridgeService } from '../../src/service.js';
import type { BridgeConfig } from '../../src/config/schema.js';
import { rightnowAdapter } from '../../adapters/rightnow/index.js';
import { relayRegistry } from './bridge-fixture.js';

/**
 * A bridge in its own process for crash and scale tests: config from a JSON file, URL printed on
 * stdout. The relay platforms, plus RightNow for the poll-failover test (pointed at its simulator).
 */
const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BridgeConfig;
const service = new ChatbridgeService(config, relayRegistry().register(rightnowAdapter), {
  logger: createLogger({ level: 'error' }),
  metrics: new Metrics(),
  worker: { pollMs: 50 },
});
service.installSignalHandlers();
await service.start();
process.stdout.write(`${JSON.stringify({ url: service.url })}\n`);
