import { RouteThroughput } from '../../src/observability/route-throughput.js';

describe('messages per route and minute', () => {
  it('when messages arrive over several minutes, then each minute is counted and those past the window fall out', () => {
    let now = 10 * 60_000;
    const throughput = new RouteThroughput(3, () => now);
    throughput.note('acme', 'a->b');
    throughput.note('acme', 'a->b');
    now += 60_000;
    throughput.note('acme', 'a->b');
    expect(throughput.series()).toEqual([{ tenant: 'acme', route: 'a->b', perMinute: [0, 2, 1] }]);
    now += 3 * 60_000;
    throughput.note('acme', 'a->b');
    expect(throughput.series()).toEqual([{ tenant: 'acme', route: 'a->b', perMinute: [0, 0, 1] }]);
  });
});
