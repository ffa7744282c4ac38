import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Another process's memory and CPU time, from /proc (Linux: the platform the benchmark runs on). */

export interface ProcessMemory {
  /** Resident set now and at its peak (VmHWM), in MiB. */
  rssMiB: number;
  peakRssMiB: number;
}

/** The process and its live descendants (`chatbridge start --workers N`: the primary and its workers). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // The process is gone, or the kernel does not expose children: the process alone.
  }
  return [pid, ...children.flatMap(processTree)];
}

/** Summed over the process and its workers: each worker is a whole bridge with its own heap. */
export function processMemory(pid: number): ProcessMemory {
  let rss = 0;
  let peak = 0;
  for (const p of processTree(pid)) {
    const status = readFileSync(`/proc/${p}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    rss += kib('VmRSS');
    peak += kib('VmHWM');
  }
  return { rssMiB: Math.round(rss / 102.4) / 10, peakRssMiB: Math.round(peak / 102.4) / 10 };
}

let ticksPerSecond: number | undefined;

/** User + system CPU time the process and its live workers have used so far, in ms. */
export function processCpuMs(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let ticks = 0;
  for (const p of processTree(pid)) {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / ticksPerSecond;
}

/** The whole machine's CPU time counters (all cores, in ticks), from the first line of /proc/stat. */
export interface MachineTicks {
  busy: number;
  steal: number;
  total: number;
}

export function machineTicks(): MachineTicks {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.slice(0, 8).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy, steal: steal!, total: busy + idle! + iowait! + steal! };
}

/** Share of the machine's CPU time that was busy, and taken by the hypervisor (steal), between two readings. */
export function machineLoad(before: MachineTicks, after: MachineTicks): { busy: number; steal: number } {
  const total = after.total - before.total;
  if (total <= 0) return { busy: 0, steal: 0 };
  const share = (v: number) => Math.round((v / total) * 100) / 100;
  return { busy: share(after.busy - before.busy), steal: share(after.steal - before.steal) };
}
