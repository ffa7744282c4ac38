import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MappingMemory } from './mapping-memory.js';
import { added, type LoadResult, type Scenario, type Settings } from './measure.js';

/** The results as a markdown table (stdout and bench/README.md) and as JSON (bench/results/). */

export interface Report {
  settings: Settings;
  scenarios: Scenario[];
  mappings: MappingMemory;
  elapsedS: number;
  /** One-minute load average at the start and at the end of the run. */
  loadAverage: number[];
}

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench');
const START = '<!-- results:start -->';
const END = '<!-- results:end -->';
/** The targets of issue 17 (ratios to the baseline relay of the same run) and the mapping size of issue 7. */
const TARGETS = {
  cpu: { memory: 1.5, redis: 2.0 },
  throughput: { memory: 0.8, redis: 0.6 },
  addedP99Ms: 5,
  bytesPerMapping: 1024,
};

/** The Node the container image runs (the Dockerfile's NODE_IMAGE), which is what a measurement should run on. */
export function imageNodeVersion(): string | undefined {
  try {
    const dockerfile = readFileSync(path.join(benchDir, '..', 'Dockerfile'), 'utf8');
    return /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)/m.exec(dockerfile)?.[1];
  } catch {
    return undefined;
  }
}

/** A warning line when the run's Node is not the image's: what ships was not what was measured. */
export function nodeWarning(): string[] {
  const image = imageNodeVersion();
  if (!image || process.version === `v${image}`) return [];
  return [
    `**Measured on Node ${process.version}, not the image's Node v${image}:** run the benchmark on the Node that ships (bench/README, "Which Node").`,
  ];
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: benchDir, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const ratio = (v: number, base: number) => (base > 0 ? (v / base).toFixed(2) : 'n/a');
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

function integrity(r: LoadResult): string {
  const parts = [r.lost > 0 ? `${r.lost} lost` : '', r.duplicates > 0 ? `${r.duplicates} dup` : '', r.errors > 0 ? `${r.errors} err` : ''];
  return parts.filter(Boolean).join(', ') || 'ok';
}

/** Machine CPU busy during the fixed-rate windows (the busiest window), with the hypervisor's steal when it took any. */
function busy(r: LoadResult): string {
  const { busy: b, steal } = r.machine;
  return `${Math.round(b * 100)} %${steal >= 0.01 ? ` (steal ${Math.round(steal * 100)} %)` : ''}`;
}

/** Added p99 at the fixed rate: the median over the paired windows, else against the baseline's own run. */
function addedOf(s: Scenario, base: Scenario): number {
  return s.pairs ? added(s.pairs, 'p99') : s.rate.latencyMs.p99 - base.rate.latencyMs.p99;
}

/** Added p50 / p99 / max: medians over the pairs, and the spread of p99 (negative: the baseline's window was the slower one). */
function addedCell(s: Scenario, base: Scenario): string {
  if (!s.pairs) return `- / ${ms(addedOf(s, base))} / -`;
  const p99s = s.pairs.map((p) => p.bridge.p99 - p.baseline.p99);
  return `${ms(added(s.pairs, 'p50'))} / ${ms(added(s.pairs, 'p99'))} / ${ms(added(s.pairs, 'max'))} (p99 ${ms(Math.min(...p99s))} to ${ms(Math.max(...p99s))})`;
}

function table(settings: Settings, scenarios: Scenario[]): string[] {
  const base = scenarios.find((s) => s.route === 'baseline')!;
  const { rate } = settings;
  const lines = [
    `| route | store | events/s at max | x baseline | CPU µs/event at max | x baseline | p50 / p99 / max ms at ${rate}/s | added p50 / p99 / max ms | machine busy at ${rate}/s | p99 ms at max | at ${rate}/s, at max | RSS MiB (peak) |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const s of scenarios) {
    const l = s.rate.latencyMs;
    lines.push(
      `| ${s.route} | ${s.store}${(s.workers ?? 1) > 1 ? `, ${s.workers} workers` : ''} | ${s.max.eventsPerS} | ${ratio(s.max.eventsPerS, base.max.eventsPerS)} | ` +
        `${s.max.cpuUsPerEvent} | ${ratio(s.max.cpuUsPerEvent, base.max.cpuUsPerEvent)} | ${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)} | ` +
        `${s === base ? '-' : addedCell(s, base)} | ${busy(s.rate)} | ${ms(s.max.latencyMs.p99)} | ` +
        `${integrity(s.rate)}, ${integrity(s.max)} | ${s.memory.rssMiB} (${s.memory.peakRssMiB}) |`,
    );
  }
  return lines;
}

function targets(report: Report): string[] {
  const base = report.scenarios.find((s) => s.route === 'baseline')!;
  const bridge = report.scenarios.filter((s) => s !== base);
  const label = (s: Scenario) => `${s.route}${(s.workers ?? 1) > 1 ? ` (${s.workers} workers)` : ''}`;
  const row = (what: string, store: 'memory' | 'redis', value: (s: Scenario) => number, ok: (r: number) => boolean) => {
    const rows = bridge.filter((s) => s.store === store).map((s) => ({ s, r: value(s) }));
    const text = rows.map(({ s, r }) => `${label(s)}: ${r.toFixed(2)}`).join('; ');
    return `| ${what} | ${text} | ${met(rows.every(({ r }) => ok(r)))} |`;
  };
  const cpu = (s: Scenario) => s.max.cpuUsPerEvent / base.max.cpuUsPerEvent;
  const throughput = (s: Scenario) => s.max.eventsPerS / base.max.eventsPerS;
  const p99s = bridge.filter((s) => s.store === 'memory').map((s) => ({ s, v: addedOf(s, base) }));
  const { memory, redis } = report.mappings;
  return [
    '| target | measured (x baseline) | |',
    '| --- | --- | --- |',
    row(`CPU per event, memory mode <= ${TARGETS.cpu.memory} x baseline`, 'memory', cpu, (r) => r <= TARGETS.cpu.memory),
    row(`CPU per event, Redis mode <= ${TARGETS.cpu.redis} x baseline`, 'redis', cpu, (r) => r <= TARGETS.cpu.redis),
    row(`throughput, memory mode >= ${TARGETS.throughput.memory} x baseline`, 'memory', throughput, (r) => r >= TARGETS.throughput.memory),
    row(`throughput, Redis mode >= ${TARGETS.throughput.redis} x baseline`, 'redis', throughput, (r) => r >= TARGETS.throughput.redis),
    `| added p99 <= ${TARGETS.addedP99Ms} ms at ${report.settings.rate}/s, memory mode | ${p99s.map(({ s, v }) => `${label(s)}: ${ms(v)}`).join('; ')} | ${met(p99s.every(({ v }) => v <= TARGETS.addedP99Ms))} |`,
    `| <= 1 KiB per mapping | memory: ${memory.bytesPerMapping} B; Redis: ${redis.bytesPerMapping} B | ${met(memory.bytesPerMapping <= TARGETS.bytesPerMapping && redis.bytesPerMapping <= TARGETS.bytesPerMapping)} |`,
  ];
}

export function markdown(report: Report, date: string): string {
  const { memory, redis, conversations } = report.mappings;
  const s = report.settings;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    `Run of ${date} on ${availableParallelism()} cores (${cpu}), Node ${process.version}, commit ${commit()}; ${report.elapsedS} s in all; ` +
      `load average ${report.loadAverage.map((l) => l.toFixed(1)).join(' -> ')} (start -> end; above ${availableParallelism()} means other work shared the cores).`,
    ...nodeWarning(),
    ...(Math.max(...report.loadAverage) > availableParallelism()
      ? ['**The machine was shared with other work during this run:** events/s and latencies include waiting for a core; CPU µs/event is the steadier comparison.']
      : []),
    `Load: ${s.conversations} conversations per route; ${s.rate} events/s (open loop) in windows of ${s.rateSeconds} s, ${s.pairs} per bridge scenario, each right after a baseline window (added latency: median over the pairs of bridge minus baseline), then maximum rate for ${s.maxSeconds} s over ${s.connections} connections (closed loop).`,
    '',
    ...table(report.settings, report.scenarios),
    '',
    `Memory per live conversation mapping, ${conversations.toLocaleString('en')} conversations: **${memory.bytesPerMapping} B** in the memory store ` +
      `(${memory.heapBytesPerMapping} B of heap; plus ${(memory.fixedBytes / 1048576).toFixed(1)} MiB allocated once by the LRU for maxEntries ${memory.maxEntries.toLocaleString('en')}), ` +
      `**${redis.bytesPerMapping} B** in Redis (MEMORY USAGE of the three keys, ${redis.sampled} mappings sampled). ` +
      `Each relayed message adds ${memory.bytesPerMessage} B of message links to the memory store (three LRU entries, for receipts and echo suppression; ${memory.messages.toLocaleString('en')} messages measured).`,
    '',
    ...targets(report),
  ].join('\n');
}

/** A run over part of the scenarios (BENCH_STORES): the table on stdout and the JSON, nothing else. */
export function writePartialReport(settings: Settings, scenarios: Scenario[]): void {
  const date = new Date().toISOString();
  process.stdout.write(`${[...nodeWarning(), ...table(settings, scenarios)].join('\n')}\n`);
  const file = writeJson(date, { settings, scenarios, partial: true });
  process.stdout.write(`\nwritten: ${path.relative(process.cwd(), file)}\n`);
}

function writeJson(date: string, body: object): string {
  const resultsDir = path.join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${date.replace(/[:.]/g, '-')}.json`);
  const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version, commit: commit(), date };
  writeFileSync(file, `${JSON.stringify({ machine, ...body }, null, 2)}\n`);
  return file;
}

export async function writeReport(report: Report): Promise<void> {
  const date = new Date().toISOString();
  const text = markdown(report, date);
  process.stdout.write(`${text}\n`);
  const file = writeJson(date, report);
  const readmePath = path.join(benchDir, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`bench/README.md lacks the ${START} ... ${END} markers`);
  writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n${text}\n${readme.slice(end)}`);
  process.stdout.write(`\nwritten: ${path.relative(process.cwd(), file)} and bench/README.md\n`);
}
