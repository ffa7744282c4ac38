import type { ChatbridgeService } from '../../src/service.js';
import { eventually, postWebhook, relayPayload } from '../support/bridge-fixture.js';
import { TEST_REDIS_URL, deletePrefix, redisAvailable, uniqueTestPrefix } from '../support/redis.js';
import { TargetServer } from '../support/target-server.js';
import { ConfigFile, customerSays, migrationDoc, reload, startFromFile } from './migration-fixture.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads /metrics as Prometheus would. */
async function scrape(service: ChatbridgeService): Promise<Sample[]> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('chatbridge_route_'))
    .map((line) => {
      const [, name, labels, value] = /^(\w+)\{(.*)\} (\S+)$/.exec(line)!;
      return { name: name!, labels: Object.fromEntries([...labels!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])), value: Number(value) };
    });
}

function value(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

const B = { tenant: 'acme', route: 'relay-a->relay-b' };
const C = { tenant: 'acme', route: 'relay-a->relay-c' };

function ended(platform: string, conversationId: string) {
  return {
    kind: 'conversation.ended' as const,
    id: `${platform}:${conversationId}:ended`,
    origin: { platform, conversationId },
    sender: { role: 'system' as const },
    timestamp: new Date().toISOString(),
    endedBy: 'customer' as const,
  };
}

describe('per-route metrics', () => {
  let targets: TargetServer[];
  let urls: { a: string; b: string; c: string };
  let file: ConfigFile;
  const services: ChatbridgeService[] = [];

  beforeEach(async () => {
    targets = [new TargetServer(), new TargetServer(), new TargetServer()];
    const [a, b, c] = await Promise.all(targets.map((t) => t.start()));
    urls = { a: a!, b: b!, c: c! };
    file = new ConfigFile();
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop();
    file.remove();
    await Promise.all(targets.map((t) => t.close()));
  });

  it('when conversations start, talk both ways, end, dead-letter and move after a reload, then each route counts its own', async () => {
    const [, targetB, targetC] = targets as [TargetServer, TargetServer, TargetServer];
    file.write(migrationDoc({ weights: { b: 100, c: 0 }, targets: urls }));
    const service = await startFromFile(file);
    services.push(service);

    await customerSays(service, 'm1', '1');
    await customerSays(service, 'm1', '2');
    await customerSays(service, 'm2', '1');
    await eventually(() => expect(targetB.accepted).toHaveLength(3));
    const m1OnB = targetB.accepted[0]!.conversation;
    const reply = await postWebhook(`${service.url}/webhooks/acme/relay-b`, relayPayload(m1OnB, ['r1'], 'agent'), 'token-for-relay-b');
    expect(reply.status).toBe(200);
    // Both sides end m1: it is counted once.
    await service.bridge.ingest('acme', 'relay-a', [ended('relay-a', 'm1')]);
    await service.bridge.ingest('acme', 'relay-b', [ended('relay-b', m1OnB)]);
    targetB.failNext('relay-a:m2:2', { status: 400 });
    await customerSays(service, 'm2', '2');
    await eventually(async () => expect(await service.bridge.queue.deadLetterCount()).toBe(1));

    file.write(migrationDoc({ weights: { b: 0, c: 100 }, targets: urls }));
    expect((await reload(service)).status).toBe(200);
    await customerSays(service, 'm3', '1');
    await eventually(() => expect(targetC.accepted).toHaveLength(1));

    const samples = await scrape(service);
    expect(value(samples, 'chatbridge_route_conversations_started_total', B)).toBe(2);
    expect(value(samples, 'chatbridge_route_conversations_started_total', C)).toBe(1);
    expect(value(samples, 'chatbridge_route_conversations_ended_total', B)).toBe(1);
    expect(value(samples, 'chatbridge_route_conversations_live', B)).toBe(1);
    expect(value(samples, 'chatbridge_route_conversations_live', C)).toBe(1);
    expect(value(samples, 'chatbridge_route_messages_total', { ...B, direction: 'customer->agent' })).toBe(3);
    expect(value(samples, 'chatbridge_route_messages_total', { ...B, direction: 'agent->customer' })).toBe(1);
    expect(value(samples, 'chatbridge_route_messages_total', { ...C, direction: 'customer->agent' })).toBe(1);
    expect(value(samples, 'chatbridge_route_dead_letters_total', B)).toBe(1);
    // 3 customer messages + 1 reply + 2 end events delivered on relay-a->relay-b.
    await eventually(async () => expect(value(await scrape(service), 'chatbridge_route_delivery_latency_seconds_count', B)).toBe(6));
    // Labels stay bounded: routes from the configuration, never a conversation or message id.
    for (const s of samples) expect(s.labels.route).toMatch(/^relay-a->relay-[bc]$/);
  });

  it('when a route has no conversation yet, then its live gauge reads 0 (a drained platform is visible)', async () => {
    file.write(migrationDoc({ weights: { b: 100, c: 0 }, targets: urls }));
    const service = await startFromFile(file);
    services.push(service);
    const samples = await scrape(service);
    expect(value(samples, 'chatbridge_route_conversations_live', B)).toBe(0);
    expect(value(samples, 'chatbridge_route_conversations_live', C)).toBe(0);
  });
});

const redisUp = await redisAvailable();

(redisUp ? describe : describe.skip)('per-route live conversations across instances (Redis)', () => {
  const target = new TargetServer();
  const file = new ConfigFile();
  const prefix = uniqueTestPrefix('cbroutes');
  const services: ChatbridgeService[] = [];

  afterAll(async () => {
    for (const s of services) await s.stop();
    await target.close();
    file.remove();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('when one instance sees a conversation start and the other its end, then both report the same live count', async () => {
    const url = await target.start();
    file.write(
      migrationDoc({
        weights: { b: 100, c: 0 },
        targets: { a: url, b: url, c: url },
        extra: { store: { kind: 'redis', url: TEST_REDIS_URL, keyPrefix: prefix } },
      }),
    );
    const [first, second] = [await startFromFile(file), await startFromFile(file)];
    services.push(first, second);

    await customerSays(first, 'x1', '1');
    await customerSays(second, 'x2', '1');
    for (const s of services) expect(value(await scrape(s), 'chatbridge_route_conversations_live', B)).toBe(2);

    await second.bridge.ingest('acme', 'relay-a', [ended('relay-a', 'x1')]);
    for (const s of services) expect(value(await scrape(s), 'chatbridge_route_conversations_live', B)).toBe(1);
    await eventually(() => expect(target.accepted).toHaveLength(3));
  });
});
