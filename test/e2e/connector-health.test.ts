import { eventually } from '../support/eventually.js';
import { bridgePerTest } from './harness.js';

/** The connector gauges follow a vendor taken down and brought back, from the bridge's own vendor calls. */
describe('connector health against the vendor simulators', () => {
  const bridge = bridgePerTest({ store: 'memory', tenants: [{ id: 'acme', customer: 'rightnow', agent: 'liveperson' }] });

  const up = async (platform: string) => {
    const { values } = await bridge().metrics.connectorUp.get();
    return values.find((v) => v.labels.tenant === 'acme' && v.labels.platform === platform)?.value;
  };

  it('when RightNow answers 503 to every poll, then connector_up goes to 0 with the failing operation, and back to 1 when it recovers', async () => {
    const rn = bridge().tenant('acme').rightnow!;
    await eventually(async () => expect(await up('rightnow')).toBe(1));
    rn.failNext('getMessages', 503, { inBody: false, times: 1000 });
    // One poll interval: the held poll answers within the simulator's hold, the next one fails.
    await eventually(async () => expect(await up('rightnow')).toBe(0));
    const { body } = await bridge().admin('/admin/health');
    expect(body.connectors).toContainEqual(
      expect.objectContaining({ tenant: 'acme', platform: 'rightnow', up: false, lastError: expect.objectContaining({ operation: 'getMessages' }) }),
    );
    const ready = await fetch(`${bridge().service.url}/readyz`);
    expect(ready.status).toBe(200);
    rn.clearFailures();
    await eventually(async () => expect(await up('rightnow')).toBe(1), 10_000);
  });
});
