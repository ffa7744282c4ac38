/**
 * End-to-end timing. Every benchmark message carries its send time in its text
 * (`bench <run> <seq> <µs>`); the LivePerson simulator reports each text it accepts, and the recorder
 * turns the pair into a latency. The clock is CLOCK_MONOTONIC (`process.hrtime`), which on Linux is one
 * clock for every process, so a stamp written in the load generator compares with an arrival timed in
 * the simulators' process.
 */

/** Monotonic milliseconds with microsecond resolution, comparable across processes on Linux. */
export function nowMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

export function stampText(run: string, seq: number): string {
  return `bench ${run} ${seq} ${Math.round(nowMs() * 1000)}`;
}

const STAMP = /^bench (\S+) (\d+) (\d+)$/;

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface RunArrivals {
  /** Distinct messages that arrived. */
  arrived: number;
  /** Messages that arrived more than once (the extra copies). */
  duplicates: number;
  latencyMs: Percentiles;
  /** Earliest send stamp and latest arrival among the arrivals (monotonic ms), for the delivered rate. */
  firstSentMs: number;
  lastArrivalMs: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

interface Run {
  seen: Set<number>;
  latencies: number[];
  duplicates: number;
  firstSentMs: number;
  lastArrivalMs: number;
}

export class ArrivalRecorder {
  private readonly runs = new Map<string, Run>();
  private readonly waiters = new Map<string, () => void>();

  /** Records a message text as it reaches the target; texts that are not stamps are ignored. */
  record(text: unknown): void {
    const at = nowMs();
    const match = typeof text === 'string' ? STAMP.exec(text) : null;
    if (!match) return;
    const [, name, seqText, stamp] = match as unknown as [string, string, string, string];
    const seq = Number(seqText);
    const sentMs = Number(stamp) / 1000;
    let run = this.runs.get(name);
    if (!run) {
      run = { seen: new Set(), latencies: [], duplicates: 0, firstSentMs: Infinity, lastArrivalMs: 0 };
      this.runs.set(name, run);
    }
    if (run.seen.has(seq)) {
      run.duplicates += 1;
      return;
    }
    run.seen.add(seq);
    run.latencies.push(at - sentMs);
    run.firstSentMs = Math.min(run.firstSentMs, sentMs);
    run.lastArrivalMs = Math.max(run.lastArrivalMs, at);
    const key = `${name} ${seq}`;
    this.waiters.get(key)?.();
    this.waiters.delete(key);
  }

  /** Resolves true when the message arrives, false after `timeoutMs`. */
  waitFor(run: string, seq: number, timeoutMs: number): Promise<boolean> {
    if (this.runs.get(run)?.seen.has(seq)) return Promise.resolve(true);
    const key = `${run} ${seq}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        resolve(false);
      }, timeoutMs);
      this.waiters.set(key, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  count(run: string): number {
    return this.runs.get(run)?.seen.size ?? 0;
  }

  /** The runs taken together: one set of percentiles over all their samples. */
  summary(names: string[]): RunArrivals {
    const runs = names.flatMap((name) => this.runs.get(name) ?? []);
    if (runs.length === 0) return { arrived: 0, duplicates: 0, latencyMs: percentiles([]), firstSentMs: Number.NaN, lastArrivalMs: Number.NaN };
    return {
      arrived: runs.reduce((n, run) => n + run.seen.size, 0),
      duplicates: runs.reduce((n, run) => n + run.duplicates, 0),
      latencyMs: percentiles(runs.flatMap((run) => run.latencies)),
      firstSentMs: Math.min(...runs.map((run) => run.firstSentMs)),
      lastArrivalMs: Math.max(...runs.map((run) => run.lastArrivalMs)),
    };
  }

  /** Frees a finished run's samples. */
  forget(name: string): void {
    this.runs.delete(name);
  }
}
