import { ArrivalRecorder, percentiles, stampText } from '../../bench/arrivals.js';
import { added } from '../../bench/measure.js';

/** The benchmark's timing: stamps in message texts, latencies and drops counted where messages arrive. */
describe('benchmark arrival recorder', () => {
  it('when stamped texts arrive, then each counts once, copies count as duplicates and other texts are ignored', () => {
    const recorder = new ArrivalRecorder();
    const first = stampText('run-a', 0);
    recorder.record(first);
    recorder.record(stampText('run-a', 1));
    recorder.record(first);
    recorder.record('hello, no stamp');
    recorder.record(stampText('run-b', 0));
    const summary = recorder.summary(['run-a']);
    expect(summary).toMatchObject({ arrived: 2, duplicates: 1 });
    expect(summary.latencyMs.max).toBeGreaterThanOrEqual(0);
    expect(summary.lastArrivalMs).toBeGreaterThanOrEqual(summary.firstSentMs);
    expect(recorder.count('run-b')).toBe(1);
  });

  it('when runs are taken together, then counts add up and the percentiles cover every sample', () => {
    const recorder = new ArrivalRecorder();
    for (let seq = 0; seq < 3; seq++) recorder.record(stampText('w-1', seq));
    for (let seq = 0; seq < 2; seq++) recorder.record(stampText('w-2', seq));
    recorder.record(stampText('w-2', 0));
    expect(recorder.summary(['w-1', 'w-2', 'never'])).toMatchObject({ arrived: 5, duplicates: 1 });
    expect(recorder.summary(['never']).arrived).toBe(0);
  });

  it('when a message is awaited, then the wait ends on its arrival, or false at the timeout', async () => {
    const recorder = new ArrivalRecorder();
    const arrived = recorder.waitFor('run', 3, 5000);
    recorder.record(stampText('run', 3));
    await expect(arrived).resolves.toBe(true);
    await expect(recorder.waitFor('run', 4, 10)).resolves.toBe(false);
  });

  it('when percentiles are taken, then they are nearest-rank over the sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values)).toEqual({ p50: 50, p99: 99, max: 100 });
    expect(percentiles([]).p50).toBeNaN();
  });

  it('when windows are paired with baseline windows, then added latency is the median of the per-pair differences', () => {
    const pair = (baseline: number, bridge: number) => ({ baseline: { p50: 1, p99: baseline, max: 100 }, bridge: { p50: 3, p99: bridge, max: 90 } });
    expect(added([pair(40, 43), pair(6, 30), pair(10, 11)], 'p99')).toBe(3);
    expect(added([pair(5, 7), pair(5, 11)], 'p99')).toBe(4);
    expect(added([pair(5, 7), pair(5, 11)], 'p50')).toBe(2);
    expect(added([pair(5, 7)], 'max')).toBe(-10);
  });
});
