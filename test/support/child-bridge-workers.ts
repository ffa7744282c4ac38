import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { runPrimary } from '../../src/cluster/primary.js';
import { runClusterWorker } from '../../src/cluster/worker.js';
import type { BridgeConfig } from '../../src/config/schema.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { ChatbridgeService } from '../../src/service.js';
import { relayRegistry } from './bridge-fixture.js';

/**
 * `chatbridge start --workers N` with the relay platforms: the CLI's primary and workers (the same
 * modules), config from a JSON file, N from argv[3]. The primary prints `{url}` once every worker
 * listens; every process logs JSON lines with its pid on stdout. Metrics as production has them (default process metrics on).
 */
const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BridgeConfig;
const logger = createLogger({ level: config.logging.level, fields: { pid: process.pid } });
if (cluster.isPrimary) {
  runPrimary({ workers: Number(process.argv[3]), logger, onListening: (url) => process.stdout.write(`${JSON.stringify({ url })}\n`) });
} else {
  await runClusterWorker(new ChatbridgeService(config, relayRegistry(), { logger, metrics: new Metrics({ defaultMetrics: true }), worker: { pollMs: 50 } }));
}
