import type { Percentiles, RunArrivals } from './arrivals.js';
import type { Child } from './ipc.js';
import type { LoadRequest, Target } from './load-generator.js';
import type { SendCounts } from './pacer.js';
import { type ProcessMemory, processCpuMs } from './process-stats.js';

export interface Settings {
  /** Conversations warmed up per route; the load is spread over them. */
  conversations: number;
  rate: number;
  rateSeconds: number;
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
}

export interface Scenario {
  route: 'baseline' | 'egain -> liveperson' | 'rightnow -> liveperson';
  store: 'none' | 'memory' | 'redis';
  rate: LoadResult;
  max: LoadResult;
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

/** Runs one load against the process `pid`, waits for its backlog to drain, and reads the arrivals. */
export async function measure(h: Harness, pid: number, target: Target, run: string, load: LoadRequest['load']): Promise<LoadResult> {
  const cpuBefore = processCpuMs(pid);
  const counts = await h.generator.call<SendCounts>('load', { target, run, load } satisfies LoadRequest);
  await waitForArrivals(h.sims, run, counts.ok);
  const cpuMs = processCpuMs(pid) - cpuBefore;
  const arrivals = await h.sims.call<RunArrivals>('arrivals', { run });
  await h.sims.call('forget', { run });
  const spanS = (arrivals.lastArrivalMs - arrivals.firstSentMs) / 1000;
  return {
    mode: load.mode,
    offeredPerS: load.mode === 'rate' ? load.rate : null,
    connections: load.mode === 'max' ? load.connections : null,
    sent: counts.sent,
    acked: counts.ok,
    errors: counts.errors,
    delivered: arrivals.arrived,
    duplicates: arrivals.duplicates,
    lost: Math.max(0, counts.ok - arrivals.arrived),
    intakePerS: Math.round(counts.ok / counts.elapsedS),
    eventsPerS: spanS > 0 ? Math.round(arrivals.arrived / spanS) : 0,
    latencyMs: arrivals.latencyMs,
    cpuUsPerEvent: arrivals.arrived > 0 ? Math.round((cpuMs * 1000) / arrivals.arrived) : 0,
  };
}

/**
 * The fixed-rate run, then the maximum-rate run, against the process `pid`, after an unmeasured
 * stretch at the fixed rate so that every process runs optimized code when measured.
 */
export async function rateAndMax(h: Harness, pid: number, target: Target, label: string): Promise<{ rate: LoadResult; max: LoadResult }> {
  const { rate, rateSeconds, maxSeconds, connections } = h.settings;
  await measure(h, pid, target, `${label}-exercise`, { mode: 'rate', rate, total: rate * EXERCISE_SECONDS });
  const atRate = await measure(h, pid, target, `${label}-rate`, { mode: 'rate', rate, total: rate * rateSeconds });
  const atMax = await measure(h, pid, target, `${label}-max`, { mode: 'max', durationS: maxSeconds, connections });
  return { rate: atRate, max: atMax };
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
