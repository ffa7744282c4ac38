import { type MetricJson, sumOf } from '../../src/cluster/metrics-memory.js';
import { mergeStatus } from '../../src/cluster/status-merge.js';
import type { InstanceStatus } from '../../src/observability/instance-views.js';

const empty: InstanceStatus = { connectors: [], breakers: [], unrecognized: [], throughput: [], inboundGaps: [], captured: [] };

describe("merging the workers' admin views", () => {
  it("when workers saw a connector differently, then it shows what the latest call anywhere said, with the latest success and error", () => {
    const merged = mergeStatus([
      { ...empty, connectors: [{ tenant: 'acme', platform: 'rightnow', up: false, lastSuccessAt: '2025-01-01T10:00:00.000Z', lastError: { at: '2025-01-01T10:05:00.000Z', operation: 'send', message: 'HTTP 503' } }] },
      { ...empty, connectors: [{ tenant: 'acme', platform: 'rightnow', up: true, lastSuccessAt: '2025-01-01T10:06:00.000Z' }] },
      { ...empty, connectors: [{ tenant: 'acme', platform: 'egain', up: null }] },
    ]);
    expect(merged.connectors).toEqual([
      { tenant: 'acme', platform: 'rightnow', up: true, lastSuccessAt: '2025-01-01T10:06:00.000Z', lastError: { at: '2025-01-01T10:05:00.000Z', operation: 'send', message: 'HTTP 503' } },
      { tenant: 'acme', platform: 'egain', up: null },
    ]);
    const failedLast = mergeStatus([
      { ...empty, connectors: [{ tenant: 'acme', platform: 'rightnow', up: true, lastSuccessAt: '2025-01-01T10:06:00.000Z' }] },
      { ...empty, connectors: [{ tenant: 'acme', platform: 'rightnow', up: false, lastError: { at: '2025-01-01T10:07:00.000Z', operation: 'poll', message: 'HTTP 401' } }] },
    ]);
    expect(failedLast.connectors[0]!.up).toBe(false);
  });

  it('when one worker paused a target, then the target shows as paused; throughput is summed; samples are listed newest first', () => {
    const merged = mergeStatus([
      {
        ...empty,
        breakers: [{ tenant: 'acme', platform: 'egain', state: 'closed' }],
        throughput: [{ tenant: 'acme', route: 'rightnow->egain', perMinute: [1, 2, 3] }],
        unrecognized: [{ at: '2025-01-01T10:00:00.000Z', tenant: 'acme', platform: 'egain', what: 'type', detail: 'old', shape: {}, payload: {} }],
      },
      {
        ...empty,
        breakers: [{ tenant: 'acme', platform: 'egain', state: 'open', openUntil: '2025-01-01T10:01:00.000Z', reason: 'HTTP 503' }],
        throughput: [{ tenant: 'acme', route: 'rightnow->egain', perMinute: [0, 5, 1] }],
        unrecognized: [{ at: '2025-01-01T10:02:00.000Z', tenant: 'acme', platform: 'egain', what: 'type', detail: 'new', shape: {}, payload: {} }],
      },
    ]);
    expect(merged.breakers).toEqual([{ tenant: 'acme', platform: 'egain', state: 'open', openUntil: '2025-01-01T10:01:00.000Z', reason: 'HTTP 503' }]);
    expect(merged.throughput).toEqual([{ tenant: 'acme', route: 'rightnow->egain', perMinute: [1, 7, 4] }]);
    expect(merged.unrecognized.map((s) => s.detail)).toEqual(['new', 'old']);
  });

  it('when every worker kept its full share of samples and captured payloads, then the merge keeps the newest of one share, not N of them', () => {
    const at = (worker: number, i: number) => `2025-01-01T10:${String(i).padStart(2, '0')}:0${worker}.000Z`;
    const report = (worker: number): InstanceStatus => ({
      ...empty,
      unrecognized: Array.from({ length: 20 }, (_, i) => ({ at: at(worker, i), tenant: 'acme', platform: 'egain', what: 'type' as const, detail: `w${worker}-${i}`, shape: {}, payload: {} })),
      captured: Array.from({ length: 5 }, (_, i) => ({ at: at(worker, i), tenant: 'acme', platform: 'egain', payload: { n: `w${worker}-${i}` } })),
    });
    const other = { ...empty, unrecognized: [{ at: at(1, 0), tenant: 'acme', platform: 'liveperson', what: 'field' as const, detail: 'lp', shape: {}, payload: {} }] };
    const merged = mergeStatus([report(1), report(2), other]);
    expect(merged.unrecognized.filter((s) => s.platform === 'egain')).toHaveLength(20);
    expect(merged.unrecognized.filter((s) => s.platform === 'egain')[0]!.detail).toBe('w2-19');
    expect(merged.unrecognized.filter((s) => s.platform === 'egain').at(-1)!.detail).toBe('w1-10');
    expect(merged.unrecognized.filter((s) => s.platform === 'liveperson')).toHaveLength(1);
    expect(merged.captured.map((c) => (c.payload as { n: string }).n)).toEqual(['w2-4', 'w1-4', 'w2-3', 'w1-3', 'w2-2']);
  });
});

describe('summing metric reports', () => {
  it('when reports share a series, then its values add up; other series are kept', () => {
    const histogram = (count: number, le: number): MetricJson => ({
      name: 'h',
      help: 'h',
      type: 'histogram',
      aggregator: 'sum',
      values: [
        { value: count, labels: { le, tenant: 'acme' }, metricName: 'h_bucket' },
        { value: count, labels: { tenant: 'acme' }, metricName: 'h_count' },
      ],
    });
    expect(sumOf([[histogram(2, 1)], [histogram(3, 1), { ...histogram(1, 5), name: 'other' }]])).toEqual([
      { ...histogram(5, 1) },
      { ...histogram(1, 5), name: 'other' },
    ]);
  });
});
