import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { ChatbridgeService } from '../../src/service.js';
import { TargetServer } from '../support/target-server.js';
import { postWebhook, relayConfig, relayPayload, relayRegistry } from '../support/bridge-fixture.js';

/** A flood of forged webhooks is counted one by one but logged in a few lines, so it cannot flood the log. */
describe('refused webhook log', () => {
  const target = new TargetServer();
  const lines: Record<string, unknown>[] = [];
  let service: ChatbridgeService;

  beforeAll(async () => {
    const url = await target.start();
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))));
    service = new ChatbridgeService(relayConfig({ store: 'memory', targetA: url, targetB: url }), relayRegistry(), {
      logger: createLogger({ level: 'warn', stream }),
      metrics: new Metrics(),
    });
    await service.start();
  });
  afterAll(async () => {
    await target.close();
  });

  const refusalLines = () => lines.filter((l) => l.message === 'webhook refused');

  it('when 1,000 forged requests arrive, then each is counted, and the log has one line at once and then one line per 10 s with the count', async () => {
    const url = `${service.url}/webhooks/acme/relay-a`;
    const started = Date.now();
    for (let sent = 0; sent < 1000; sent += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postWebhook(url, relayPayload('forged', [`${sent + i}`]), 'forged-token')));
      expect(answers.every((a) => a.status === 401)).toBe(true);
    }
    const intervals = Math.floor((Date.now() - started) / 10_000);
    const metrics = await service.bridge.metrics.registry.metrics();
    expect(metrics).toContain('chatbridge_inbound_rejected_total{platform="relay-a",status="401"} 1000');

    await service.stop();
    await new Promise((resolve) => setImmediate(resolve));
    const refusals = refusalLines();
    expect(refusals[0]).toMatchObject({ level: 'warn', tenant: 'acme', platform: 'relay-a', reason: 'unauthenticated: authentication failed', status: 401, count: 1 });
    // One at once, one per interval that ended while they came (on a slow machine the run spans some), one at stop.
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.length).toBeLessThanOrEqual(2 + intervals + 1);
    expect(refusals.slice(1).every((l) => l.seconds === 10 && l.reason === 'unauthenticated: authentication failed')).toBe(true);
    expect(refusals.reduce((sum, l) => sum + Number(l.count), 0)).toBe(1000);
  });
});
