import type { Percentiles, RunArrivals } from './arrivals.js';
import type { Child } from './ipc.js';
import type { LoadRequest, Target } from './load-generator.js';
import type { SendCounts } from './pacer.js';
import { machineLoad, machineTicks, type ProcessMemory, processCpuMs } from './process-stats.js';

export interface Settings {
  /** Conversations warmed up per route; the load is spread over them. */
  conversations: number;
  rate: number;
  /** Length of each fixed-rate window, and how many baseline/bridge window pairs each bridge scenario runs. */
  rateSeconds: number;
  pairs: number;
  maxSeconds: number;
  /** Closed-loop concurrency of the maximum-rate runs. */
  connections: number;
}

export interface LoadResult {
  mode: 'rate' | 'max';
  offeredPerS: number | null;
  connections: number | null;
  /** Requests written by the generator, answered 2xx, answered otherwise or failed. */
  sent: number;
  acked: number;
  errors: number;
  /** Distinct messages that reached the LivePerson simulator, and extra copies. */
  delivered: number;
  duplicates: number;
  /** Acknowledged but never delivered (after the drain wait). */
  lost: number;
  /** Acknowledgements per second over the load window. */
  intakePerS: number;
  /** Delivered events per second: delivered / (last arrival - first send). */
  eventsPerS: number;
  /** Send (stamp) to arrival at the LivePerson simulator. */
  latencyMs: Percentiles;
  /** CPU time (user + system) of the process under test per delivered event, in µs: robust to a busy machine. */
  cpuUsPerEvent: number;
  /**
   * Share of the whole machine's CPU (every process, every core) busy during the load, and taken by the
   * hypervisor (steal): near 1 means latencies include waiting for a core.
   */
  machine: { busy: number; steal: number };
}

export interface Scenario {
  route: 'baseline' | 'egain -> liveperson' | 'rightnow -> liveperson';
  store: 'none' | 'memory' | 'redis';
  /** Bridge processes (`--workers`); CPU and memory are summed over them. */
  workers?: number;
  rate: LoadResult;
  max: LoadResult;
  /** Bridge scenarios: the fixed-rate windows, each paired with a baseline window just before it. */
  pairs?: Pair[];
  /** Of the process under test (relay or bridge), read after its runs. */
  memory: ProcessMemory;
}

export interface Harness {
  sims: Child;
  generator: Child;
  settings: Settings;
}

const POLL_MS = 100;
/** The wait for a backlog to drain ends when nothing arrived for this long. */
const STALL_MS = 15_000;
const EXERCISE_SECONDS = 2;

/** Waits until `expected` messages of `run` arrived, or arrivals stalled. */
export async function waitForArrivals(sims: Child, run: string, expected: number): Promise<number> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const count = await sims.call<number>('count', { run });
    if (count >= expected) return count;
    if (count !== last) {
      last = count;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > STALL_MS) {
      return count;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

interface Window {
  run: string;
  counts: SendCounts;
  cpuMs: number;
  machine: { busy: number; steal: number };
  arrivals: RunArrivals;
}

/** Runs one load against the process `pid`, waits for its backlog to drain, and reads the arrivals. */
async function window(h: Harness, pid: number, target: Target, run: string, load: LoadRequest['load']): Promise<Window> {
  const cpuBefore = processCpuMs(pid);
  const ticksBefore = machineTicks();
  const counts = await h.generator.call<SendCounts>('load', { target, run, load } satisfies LoadRequest);
  // Read before the drain wait, which is mostly idle polling.
  const machine = machineLoad(ticksBefore, machineTicks());
  await waitForArrivals(h.sims, run, counts.ok);
  const cpuMs = processCpuMs(pid) - cpuBefore;
  return { run, counts, cpuMs, machine, arrivals: await h.sims.call<RunArrivals>('arrivals', { runs: [run] }) };
}

/** One result over several windows of the same load: sums, and percentiles over all their samples. */
async function result(h: Harness, load: LoadRequest['load'], windows: Window[]): Promise<LoadResult> {
  const sum = (f: (w: Window) => number) => windows.reduce((n, w) => n + f(w), 0);
  const runs = windows.map((w) => w.run);
  const all = await h.sims.call<RunArrivals>('arrivals', { runs });
  for (const run of runs) await h.sims.call('forget', { run });
  const spanS = sum((w) => w.arrivals.lastArrivalMs - w.arrivals.firstSentMs) / 1000;
  const acked = sum((w) => w.counts.ok);
  return {
    mode: load.mode,
    offeredPerS: load.mode === 'rate' ? load.rate : null,
    connections: load.mode === 'max' ? load.connections : null,
    sent: sum((w) => w.counts.sent),
    acked,
    errors: sum((w) => w.counts.errors),
    delivered: all.arrived,
    duplicates: all.duplicates,
    lost: Math.max(0, acked - all.arrived),
    intakePerS: Math.round(acked / sum((w) => w.counts.elapsedS)),
    eventsPerS: spanS > 0 ? Math.round(all.arrived / spanS) : 0,
    latencyMs: all.latencyMs,
    cpuUsPerEvent: all.arrived > 0 ? Math.round((sum((w) => w.cpuMs) * 1000) / all.arrived) : 0,
    machine: {
      busy: Math.max(...windows.map((w) => w.machine.busy)),
      steal: Math.max(...windows.map((w) => w.machine.steal)),
    },
  };
}

export async function measure(h: Harness, pid: number, target: Target, run: string, load: LoadRequest['load']): Promise<LoadResult> {
  return result(h, load, [await window(h, pid, target, run, load)]);
}

/** A process under load and where its load goes. */
export interface System {
  pid: number;
  target: Target;
}

/** The baseline's latencies and the bridge's in two windows run back to back. */
export interface Pair {
  baseline: Percentiles;
  bridge: Percentiles;
}

/**
 * The fixed-rate run, then the maximum-rate run, against `system`, after an unmeasured stretch at the
 * fixed rate so that every process runs optimized code when measured. With `baseline`, the fixed rate
 * runs as `pairs` windows, each right after a baseline window at the same rate: the p99 a machine
 * shared with other work gives moves by tens of ms within a minute, so added latency is judged per
 * pair (medians of bridge - baseline), not between runs a minute apart.
 */
export async function rateAndMax(
  h: Harness,
  system: System,
  label: string,
  baseline?: System,
): Promise<{ rate: LoadResult; max: LoadResult; pairs?: Pair[] }> {
  const { rate, rateSeconds, maxSeconds, connections, pairs: pairCount } = h.settings;
  const atRate = { mode: 'rate' as const, rate, total: rate * rateSeconds };
  await measure(h, system.pid, system.target, `${label}-exercise`, { mode: 'rate', rate, total: rate * EXERCISE_SECONDS });
  let rateResult: LoadResult;
  let pairs: Pair[] | undefined;
  if (baseline) {
    const windows: Window[] = [];
    pairs = [];
    for (let i = 1; i <= pairCount; i++) {
      const base = await window(h, baseline.pid, baseline.target, `${label}-base-${i}`, atRate);
      await h.sims.call('forget', { run: base.run });
      const own = await window(h, system.pid, system.target, `${label}-rate-${i}`, atRate);
      windows.push(own);
      pairs.push({ baseline: base.arrivals.latencyMs, bridge: own.arrivals.latencyMs });
    }
    rateResult = await result(h, atRate, windows);
  } else {
    rateResult = await measure(h, system.pid, system.target, `${label}-rate`, atRate);
  }
  const atMax = await measure(h, system.pid, system.target, `${label}-max`, { mode: 'max', durationS: maxSeconds, connections });
  return { rate: rateResult, max: atMax, pairs };
}

/** Median over the pairs of the bridge's percentile minus the baseline's. */
export function added(pairs: Pair[], percentile: keyof Percentiles): number {
  const added = pairs.map((p) => p.bridge[percentile] - p.baseline[percentile]).sort((a, b) => a - b);
  const mid = Math.floor(added.length / 2);
  return added.length % 2 === 1 ? added[mid]! : (added[mid - 1]! + added[mid]!) / 2;
}

/**
 * eGain customers open the generator's conversations and say one thing each, so the bridge creates
 * every LivePerson conversation (consumer, CONVERSATION) before the measured runs.
 */
export async function warmUpEgain(h: Harness, pid: number, target: Target, label: string): Promise<void> {
  const count = h.settings.conversations;
  await h.generator.call('egain.open', { count });
  const result = await measure(h, pid, target, `${label}-warm`, { mode: 'rate', rate: 200, total: count });
  if (result.delivered < count) throw new Error(`warm-up of ${label}: ${result.delivered} of ${count} conversations reached LivePerson`);
}

/** RightNow end users start chatting, each with one message the bridge gets with the offer. */
export async function warmUpRightNow(h: Harness, label: string): Promise<void> {
  const count = h.settings.conversations;
  const run = `${label}-warm`;
  await h.sims.call('rightnow.open', { count, run });
  const arrived = await waitForArrivals(h.sims, run, count);
  await h.sims.call('forget', { run });
  if (arrived < count) throw new Error(`warm-up of ${label}: ${arrived} of ${count} engagements reached LivePerson`);
}
