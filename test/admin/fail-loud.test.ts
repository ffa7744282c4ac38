import { eventually, postWebhook, relayConfig, relayPayload, startRelayBridge } from '../support/bridge-fixture.js';
import { TargetServer } from '../support/target-server.js';
import type { ChatbridgeService } from '../../src/service.js';

const ADMIN = { authorization: 'Bearer admin-token-0123456789' };

async function metricValue(service: ChatbridgeService, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await service.bridge.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l));
  return value?.value;
}

const adminJson = async (service: ChatbridgeService, path: string) => {
  const res = await fetch(`${service.url}${path}`, { headers: ADMIN });
  expect(res.status).toBe(200);
  return res.json() as Promise<Record<string, unknown[]> & { samples: unknown[]; payloads: unknown[]; connectors: unknown[] }>;
};

describe('failing loud on what an adapter cannot read', () => {
  const targetA = new TargetServer();
  const targetB = new TargetServer();
  let service: ChatbridgeService;
  let hook: string;

  beforeAll(async () => {
    const [a, b] = await Promise.all([targetA.start(), targetB.start()]);
    service = await startRelayBridge(relayConfig({ store: 'memory', targetA: a, targetB: b }));
    hook = `${service.url}/webhooks/acme/relay-a`;
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([targetA.close(), targetB.close()]);
  });

  it('when an authenticated body is in no shape the adapter reads, then it is refused, counted and kept masked', async () => {
    const res = await postWebhook(hook, { greeting: 'hi', password: 'hunter2', nested: { token: 'tok-123' } });
    expect(res.status).toBe(400);
    expect(await metricValue(service, 'chatbridge_inbound_unrecognized_total', { tenant: 'acme', platform: 'relay-a', what: 'envelope' })).toBe(1);
    const { samples } = await adminJson(service, '/admin/unrecognized');
    expect(samples).toEqual([
      expect.objectContaining({
        tenant: 'acme',
        platform: 'relay-a',
        what: 'envelope',
        shape: { greeting: 'string', password: 'string', nested: { token: 'string' } },
        payload: { greeting: 'hi', password: '[redacted]', nested: { token: '[redacted]' } },
      }),
    ]);
    const page = await (await fetch(`${service.url}/admin`, { headers: ADMIN })).text();
    expect(page).toContain('Payloads not recognised');
    expect(page).toContain('envelope');
    expect(page).not.toContain('hunter2');
  });

  it('when a payload is one the adapter knows and ignores, then it is a quiet drop, not an unrecognised one', async () => {
    const before = await metricValue(service, 'chatbridge_inbound_unrecognized_total', { tenant: 'acme', platform: 'relay-a', what: 'envelope' });
    const res = await postWebhook(hook, { ping: true });
    expect(res.status).toBe(200);
    expect(await metricValue(service, 'chatbridge_inbound_unrecognized_total', { tenant: 'acme', platform: 'relay-a', what: 'envelope' })).toBe(before);
    expect(await metricValue(service, 'chatbridge_events_dropped_total', { tenant: 'acme', platform: 'relay-a', kind: 'vendor', reason: 'not-carried' })).toBe(1);
  });

  it('when many unreadable bodies arrive, then only the newest 20 samples per connector are kept', async () => {
    for (let i = 0; i < 25; i++) await postWebhook(hook, { attempt: i });
    const { samples } = await adminJson(service, '/admin/unrecognized?tenant=acme');
    expect(samples).toHaveLength(20);
    expect(samples[0]).toMatchObject({ payload: { attempt: 24 } });
    expect((await adminJson(service, '/admin/unrecognized?tenant=other')).samples).toEqual([]);
  });
});

describe('connector health follows the vendor', () => {
  it('when the target goes down and comes back, then connector_up goes to 0 with the error, and back to 1', async () => {
    const targetA = new TargetServer();
    const targetB = new TargetServer();
    const [a, b] = await Promise.all([targetA.start(), targetB.start()]);
    const port = Number(new URL(b).port);
    await targetB.close();
    const service = await startRelayBridge(relayConfig({ store: 'memory', targetA: a, targetB: b }));
    try {
      const { connectors: before } = await adminJson(service, '/admin/health');
      expect(before).toContainEqual(expect.objectContaining({ tenant: 'acme', platform: 'relay-b', up: null }));
      expect((await postWebhook(`${service.url}/webhooks/acme/relay-a`, relayPayload('c1', ['m1']))).status).toBe(200);
      await eventually(async () =>
        expect(await metricValue(service, 'chatbridge_connector_up', { tenant: 'acme', platform: 'relay-b' })).toBe(0),
      );
      const { connectors: down } = await adminJson(service, '/admin/health');
      expect(down).toContainEqual(
        expect.objectContaining({ platform: 'relay-b', up: false, lastError: expect.objectContaining({ operation: 'deliver', message: expect.stringContaining('ECONNREFUSED') }) }),
      );
      expect(await (await fetch(`${service.url}/readyz`)).status).toBe(200);
      await targetB.start(port);
      await eventually(async () => expect(targetB.accepted).toHaveLength(1), 15_000);
      // The target counts the delivery as it answers; the bridge learns of it when the answer arrives.
      await eventually(async () => expect(await metricValue(service, 'chatbridge_connector_up', { tenant: 'acme', platform: 'relay-b' })).toBe(1));
      expect(await metricValue(service, 'chatbridge_connector_last_success_timestamp_seconds', { tenant: 'acme', platform: 'relay-b' })).toBeGreaterThan(0);
      const page = await (await fetch(`${service.url}/admin`, { headers: ADMIN })).text();
      expect(page).toMatch(/relay-b<\/td><td>up</);
    } finally {
      await service.stop();
      await Promise.all([targetA.close(), targetB.close()]);
    }
  });
});

describe('opt-in inbound capture', () => {
  const run = async (logging: Record<string, unknown>, check: (service: ChatbridgeService) => Promise<void>) => {
    const targetA = new TargetServer();
    const targetB = new TargetServer();
    const [a, b] = await Promise.all([targetA.start(), targetB.start()]);
    const service = await startRelayBridge(relayConfig({ store: 'memory', targetA: a, targetB: b, logging }));
    try {
      await check(service);
    } finally {
      await service.stop();
      await Promise.all([targetA.close(), targetB.close()]);
    }
  };

  it('when capture is on for a platform until a later time, then its authenticated payloads are kept, masked', () =>
    run({ captureInbound: { platform: 'relay-a', until: new Date(Date.now() + 3600_000).toISOString() } }, async (service) => {
      const body = { ...relayPayload('c1', ['m1']), apiKey: 'k-secret' };
      expect((await postWebhook(`${service.url}/webhooks/acme/relay-a`, body)).status).toBe(200);
      expect((await postWebhook(`${service.url}/webhooks/acme/relay-a`, body, 'wrong-token-000')).status).toBe(401);
      const { payloads } = await adminJson(service, '/admin/captured');
      expect(payloads).toEqual([expect.objectContaining({ tenant: 'acme', platform: 'relay-a', payload: { ...relayPayload('c1', ['m1']), apiKey: '[redacted]' } })]);
    }));

  it('when the capture time has passed, then nothing is kept', () =>
    run({ captureInbound: { platform: 'relay-a', until: new Date(Date.now() - 1000).toISOString() } }, async (service) => {
      expect((await postWebhook(`${service.url}/webhooks/acme/relay-a`, relayPayload('c1', ['m1']))).status).toBe(200);
      expect((await adminJson(service, '/admin/captured')).payloads).toEqual([]);
    }));
});
