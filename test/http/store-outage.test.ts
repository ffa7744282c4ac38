import { ChatbridgeService } from '../../src/service.js';
import { TargetServer } from '../support/target-server.js';
import { eventually, postWebhook, relayConfig, relayPayload, relayRegistry, startRelayBridge } from '../support/bridge-fixture.js';
import { RedisProcess } from '../support/redis-process.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';

/**
 * Redis outages at intake, against a redis-server of the test's own that it kills and pauses. Intake
 * fails fast with 503 `store_unavailable` (the vendor retries) and never acknowledges what it did not
 * store. The upper bounds on answer times are correctness checks with a wide margin: before, the same
 * requests waited about 7 s for a 500, or for the whole outage.
 */
describe('intake while the store is down', () => {
  const target = new TargetServer();
  let redis: RedisProcess;
  let service: ChatbridgeService;
  let base: string;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    const url = await target.start();
    service = await startRelayBridge(
      relayConfig({ store: 'redis', redisUrl: redis.url, targetA: url, targetB: url, server: { ingestTimeoutMs: 1000 } }),
    );
    base = service.url;
  });
  afterAll(async () => {
    await service?.stop();
    await target.close();
    await redis?.stop();
  });

  async function timed(conversation: string, id: string) {
    const started = Date.now();
    const res = await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload(conversation, [id]));
    return { res, ms: Date.now() - started, body: (await res.json()) as Record<string, unknown> };
  }

  const keys = () => target.accepted.map((r) => r.key);

  it('when Redis dies, then webhooks answer 503 store_unavailable with Retry-After at once, /readyz says not ready, and intake resumes when it is back', async () => {
    expect((await timed('down', 'm1')).res.status).toBe(200);
    await eventually(() => expect(keys()).toEqual(['relay-a:down:m1']));

    await redis.kill();
    for (const id of ['m2', 'm3', 'm4']) {
      const { res, ms, body } = await timed('down', id);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(body).toEqual({ error: 'store_unavailable', message: expect.stringMatching(/^the store /) });
      expect(ms).toBeLessThan(3000);
    }
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready', store: 'unreachable', queue: 'unreachable' });

    await redis.launch();
    await eventually(async () => expect((await fetch(`${base}/readyz`)).status).toBe(200));
    // The vendor redelivers what was refused: each is acknowledged now, and delivered once, in order.
    for (const id of ['m2', 'm3', 'm4']) expect((await timed('down', id)).res.status).toBe(200);
    await eventually(() => expect(keys()).toEqual(['relay-a:down:m1', 'relay-a:down:m2', 'relay-a:down:m3', 'relay-a:down:m4']));
  });

  it('when Redis stops answering but keeps the connection, then webhooks answer 503 within ingestTimeoutMs and the redelivery is delivered once', async () => {
    await redis.pause();
    try {
      const { res, ms, body } = await timed('hang', 'h1');
      expect(res.status).toBe(503);
      expect(body).toEqual({ error: 'store_unavailable', message: 'the store did not take the events within 1000 ms; retry later' });
      expect(ms).toBeLessThan(3000);
    } finally {
      await redis.resume();
    }
    // What the store took after the 503 is not taken twice: the redelivery is acknowledged either way.
    const again = await timed('hang', 'h1');
    expect(again.res.status).toBe(200);
    expect(Number(again.body.accepted) + Number(again.body.duplicates)).toBe(1);
    await eventually(() => expect(keys().filter((k) => k.startsWith('relay-a:hang:'))).toEqual(['relay-a:hang:h1']));
    expect(target.attemptsFor('relay-a:hang:h1')).toBe(1);
  });

  it('when the bridge starts while Redis is down, then the error names the store URL without its password', async () => {
    await redis.kill();
    const config = relayConfig({
      store: 'redis',
      redisUrl: `redis://:s3cret-pass@127.0.0.1:${redis.port}/2`,
      targetA: 'http://127.0.0.1:9',
      targetB: 'http://127.0.0.1:9',
    });
    const starting = new ChatbridgeService(config, relayRegistry(), { logger: createLogger({ silent: true }), metrics: new Metrics() });
    const failure = await starting.start().then(
      () => undefined,
      (err: Error) => err,
    );
    await starting.stop();
    await redis.launch();
    expect(failure?.message).toMatch(new RegExp(`^the store at redis://127\\.0\\.0\\.1:${redis.port}/2 did not answer: `));
    expect(failure?.message).not.toContain('s3cret-pass');
  });
});
