import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { TENANT } from './accounts.js';
import { BridgeUnderTest } from './bridge.js';
import { Child } from './ipc.js';
import type { GeneratorReady } from './load-generator.js';
import type { MappingMemory } from './mapping-memory.js';
import { type Harness, rateAndMax, type Scenario, type Settings, type System, warmUpEgain, warmUpRightNow } from './measure.js';
import { processMemory } from './process-stats.js';
import { deleteKeys } from './redis-keys.js';
import { writePartialReport, writeReport } from './report.js';
import type { SimsReady } from './sims.js';

/**
 * `npm run bench`: the bridge on real routes (rightnow -> liveperson, egain -> liveperson) against the
 * vendor simulators on loopback, in memory mode and in Redis mode with 1 and 2 workers, next to a minimal pass-through relay measured
 * in the same run with the same load. Every part runs in its own process; everything started here is
 * stopped here. Environment: BENCH_SECONDS (length of each load run), BENCH_CPU_PROF (a folder: the
 * bridge writes V8 CPU profiles there), BENCH_STORES (`memory`, `redis` or both, the default), BENCH_WORKERS (`1`, `2` or both, the
 * default: the Redis scenarios' worker counts), BENCH_ROUTES (`egain`, `rightnow` or both, the default; a partial
 * run is for profiling: it prints its table but neither measures mappings nor touches the README), REDIS_URL.
 */

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const settings: Settings = { conversations: 200, rate: 500, rateSeconds: Math.max(1, Math.round(seconds / 2)), pairs: 3, maxSeconds: seconds, connections: 32 };
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const allStores = ['memory', 'redis'] as const;
const stores = allStores.filter((s) => (process.env.BENCH_STORES ?? allStores.join(',')).split(',').includes(s));
/** Worker counts of the Redis scenarios: both by default; `BENCH_WORKERS=1` for a quicker partial run. */
const redisWorkers = [1, 2].filter((n) => (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number).includes(n));
/** Routes measured: both by default; `BENCH_ROUTES=egain` (or `rightnow`) profiles one alone. */
const routes = ['egain', 'rightnow'].filter((r) => (process.env.BENCH_ROUTES ?? 'egain,rightnow').split(',').includes(r));
const started: Child[] = [];

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function start<T>(module: string, args: string[] = [], execArgv: string[] = []): Promise<{ child: Child; ready: T }> {
  const result = await Child.start<T>(module, args, execArgv);
  started.push(result.child);
  return result;
}

/** The baseline relay stays up for the whole run: every bridge fixed-rate window is paired with one of its own. */
async function baseline(h: Harness, livepersonUrl: string): Promise<{ scenario: Scenario; system: System }> {
  const { child: relay, ready } = await start<{ url: string }>('baseline-relay', [livepersonUrl]);
  const system: System = { pid: relay.process.pid!, target: { kind: 'egain', url: `${ready.url}/webhooks/${TENANT}/egain` } };
  await warmUpEgain(h, system.pid, system.target, 'baseline');
  log('baseline relay: fixed rate, then maximum rate');
  const runs = await rateAndMax(h, system, 'baseline');
  return { scenario: { route: 'baseline', store: 'none', ...runs, memory: processMemory(system.pid) }, system };
}

async function bridge(h: Harness, store: 'memory' | 'redis', workers: number, sims: SimsReady, generator: GeneratorReady, base: System): Promise<Scenario[]> {
  const keyPrefix = `cbbench:${randomBytes(6).toString('hex')}:`;
  const { url: rightnowUrl } = await h.sims.call<{ url: string }>('rightnow.reset');
  const service = await BridgeUnderTest.start(
    { store, redisUrl, keyPrefix, livepersonUrl: sims.livepersonUrl, egainUrl: generator.egainUrl, egainTokenUrl: generator.egainTokenUrl, rightnowUrl, conversations: settings.conversations, workers },
    { cpuProfDir: process.env.BENCH_CPU_PROF },
  );
  const mode = workers > 1 ? `${store}-w${workers}` : store;
  try {
    const scenarios: Scenario[] = [];
    if (routes.includes('egain')) {
      const egain = { kind: 'egain' as const, url: `${service.url}/webhooks/${TENANT}/egain` };
      await warmUpEgain(h, service.pid, egain, `egain-${mode}`);
      log(`bridge (${store}, ${workers} worker(s)) egain -> liveperson: fixed rate, then maximum rate`);
      const runs = await rateAndMax(h, { pid: service.pid, target: egain }, `egain-${mode}`, base);
      scenarios.push({ route: 'egain -> liveperson', store, workers, ...runs, memory: service.memory() });
    }
    if (routes.includes('rightnow')) {
      await warmUpRightNow(h, `rightnow-${mode}`);
      log(`bridge (${store}, ${workers} worker(s)) rightnow -> liveperson: fixed rate, then maximum rate`);
      const runs = await rateAndMax(h, { pid: service.pid, target: { kind: 'end-users', url: sims.endUsersUrl } }, `rightnow-${mode}`, base);
      scenarios.push({ route: 'rightnow -> liveperson', store, workers, ...runs, memory: service.memory() });
    }
    return scenarios;
  } finally {
    await service.stop();
    if (store === 'redis') await removeRedisKeys(keyPrefix);
  }
}

async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await deleteKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const begun = Date.now();
  const loadAtStart = loadavg()[0]!;
  const { child: simsChild, ready: sims } = await start<SimsReady>('sims');
  const { child: generatorChild, ready: generator } = await start<GeneratorReady>('load-generator');
  const h: Harness = { sims: simsChild, generator: generatorChild, settings };
  const base = await baseline(h, sims.livepersonUrl);
  const scenarios: Scenario[] = [base.scenario];
  for (const store of stores) {
    // Redis mode twice: one process, then two workers (one per core here, where the load generator competes for them).
    for (const workers of store === 'redis' ? redisWorkers : [1]) scenarios.push(...(await bridge(h, store, workers, sims, generator, base.system)));
  }
  if (stores.length < allStores.length || redisWorkers.length < 2 || routes.length < 2) {
    writePartialReport(settings, scenarios);
    return;
  }
  log('memory per conversation mapping (100k conversations)');
  const { child: mappingChild, ready: mappings } = await start<MappingMemory>('mapping-memory', ['100000', redisUrl], ['--expose-gc']);
  await mappingChild.stop();
  await writeReport({ settings, scenarios, mappings, elapsedS: Math.round((Date.now() - begun) / 1000), loadAverage: [loadAtStart, loadavg()[0]!] });
}

main()
  .catch((err: unknown) => {
    process.exitCode = 1;
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  })
  .finally(() => Promise.allSettled(started.map((c) => c.stop())));
