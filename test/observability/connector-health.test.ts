import { ConnectorHealth } from '../../src/observability/connector-health.js';
import { Metrics } from '../../src/observability/metrics.js';

async function gauge(metrics: Metrics, name: string): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => v.labels.tenant === 'acme' && v.labels.platform === 'liveperson')?.value;
}

describe('ConnectorHealth', () => {
  it('when a connector succeeds many times a second, then the view and the gauges show the first success of each second', async () => {
    const metrics = new Metrics();
    const health = new ConnectorHealth(metrics);
    const t0 = Date.parse('2026-12-05T10:00:00.100Z');
    health.succeeded('acme', 'liveperson', t0);
    health.succeeded('acme', 'liveperson', t0 + 500);
    expect(health.list()).toEqual([{ tenant: 'acme', platform: 'liveperson', up: true, lastSuccessAt: '2026-12-05T10:00:00.100Z' }]);
    health.succeeded('acme', 'liveperson', t0 + 1000);
    expect(health.list()[0]!.lastSuccessAt).toBe('2026-12-05T10:00:01.100Z');
    expect(await gauge(metrics, 'chatbridge_connector_last_success_timestamp_seconds')).toBe(Math.floor((t0 + 1000) / 1000));
    expect(await gauge(metrics, 'chatbridge_connector_up')).toBe(1);
  });

  it('when a success follows a failure within the same second, then the connector is up again at once', async () => {
    const metrics = new Metrics();
    const health = new ConnectorHealth(metrics);
    const t0 = Date.parse('2026-12-05T10:00:00.100Z');
    health.succeeded('acme', 'liveperson', t0);
    health.failed('acme', 'liveperson', 'send', 'LivePerson SEND answered 503');
    expect(await gauge(metrics, 'chatbridge_connector_up')).toBe(0);
    health.succeeded('acme', 'liveperson', t0 + 200);
    expect(health.list()[0]).toMatchObject({ up: true, lastSuccessAt: '2026-12-05T10:00:00.300Z' });
    expect(await gauge(metrics, 'chatbridge_connector_up')).toBe(1);
  });
});
