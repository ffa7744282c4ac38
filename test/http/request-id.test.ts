import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { ChatbridgeService } from '../../src/service.js';
import { eventually, postWebhook, relayConfig, relayPayload, relayRegistry } from '../support/bridge-fixture.js';
import { TargetServer } from '../support/target-server.js';

describe('request ids', () => {
  const targetA = new TargetServer();
  const targetB = new TargetServer();
  const lines: Record<string, unknown>[] = [];
  let service: ChatbridgeService;
  let hook: string;

  beforeAll(async () => {
    const [a, b] = await Promise.all([targetA.start(), targetB.start()]);
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    service = new ChatbridgeService(relayConfig({ store: 'memory', targetA: a, targetB: b }), relayRegistry(), {
      logger: createLogger({ level: 'debug', stream }),
      metrics: new Metrics(),
      worker: { pollMs: 50 },
    });
    await service.start();
    hook = `${service.url}/webhooks/acme/relay-a`;
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([targetA.close(), targetB.close()]);
  });

  it('when a caller sends X-Request-Id, then it is returned and on every log line of the request and of its events', async () => {
    targetB.failNext('relay-a:rid:1', { status: 503 });
    const res = await postWebhook(hook, relayPayload('rid', ['1']), undefined, { 'x-request-id': 'caller-id-42' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('caller-id-42');
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toContain('relay-a:rid:1'));
    await eventually(() => expect(lines.filter((l) => l.eventId === 'relay-a:rid:1').map((l) => l.message)).toContain('event delivered'));
    const ofEvent = lines.filter((l) => l.eventId === 'relay-a:rid:1');
    expect(ofEvent.map((l) => l.message)).toEqual(expect.arrayContaining(['delivery attempt failed', 'event delivered']));
    expect(ofEvent.every((l) => l.requestId === 'caller-id-42')).toBe(true);
  });

  it('when no id (or an unusable one) is sent, then one is generated and returned', async () => {
    const plain = await postWebhook(hook, relayPayload('rid2', ['1']));
    const hostile = await postWebhook(hook, relayPayload('rid3', ['1']), undefined, { 'x-request-id': 'a b\tinjected' });
    for (const res of [plain, hostile]) expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(plain.headers.get('x-request-id')).not.toBe(hostile.headers.get('x-request-id'));
  });

  it('when a webhook is refused for its credentials, then the log line says why and carries the request id', async () => {
    const res = await postWebhook(hook, relayPayload('rid4', ['1']), 'wrong-token', { 'x-request-id': 'forged-1' });
    expect(res.status).toBe(401);
    const line = lines.find((l) => l.message === 'webhook refused: authentication failed' && l.requestId === 'forged-1');
    expect(line).toMatchObject({ tenant: 'acme', platform: 'relay-a', reason: expect.any(String) });
    expect(JSON.stringify(line)).not.toContain('wrong-token');
  });
});
