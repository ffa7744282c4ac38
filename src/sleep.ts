import { setTimeout as wait } from 'node:timers/promises';

/** Waits `ms`, or less once `signal` aborts: a stop ends the wait, it is not an error. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, { signal });
  } catch (err) {
    if (!signal?.aborted) throw err;
  }
}
