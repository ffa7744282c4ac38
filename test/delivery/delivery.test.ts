import { ChatbridgeService } from '../../src/service.js';
import { TargetServer } from '../support/target-server.js';
import { TEST_REDIS_URL, deletePrefix, redisAvailable } from '../support/redis.js';
import { authRefreshes } from '../support/relay-platform.js';
import { eventually, postWebhook, relayConfig, relayPayload, startRelayBridge } from '../support/bridge-fixture.js';

const backends: ('memory' | 'redis')[] = (await redisAvailable()) ? ['memory', 'redis'] : ['memory'];

describe.each(backends)('delivery through the bridge (%s store)', (store) => {
  let targetA: TargetServer;
  let targetB: TargetServer;
  let service: ChatbridgeService;
  let base: string;

  async function start(delivery: Record<string, unknown> = {}) {
    const config = relayConfig({ store, targetA: await targetA.start(), targetB: await targetB.start(), delivery, tenants: ['acme', 'globex'] });
    service = await startRelayBridge(config);
    base = service.url;
    return config;
  }

  beforeEach(() => {
    targetA = new TargetServer();
    targetB = new TargetServer();
  });

  afterEach(async () => {
    const prefix = service?.bridge.config.store.keyPrefix;
    await service?.stop();
    await targetA.close();
    await targetB.close();
    if (store === 'redis' && prefix) await deletePrefix(TEST_REDIS_URL, prefix);
  });

  // 600 webhooks and deliveries: on a loaded machine this takes longer than the default 30 s test timeout.
  it('when many conversations send concurrently, then each arrives once and in order per conversation', async () => {
    await start({ concurrency: 16 });
    targetB.delayMs = 2;
    const conversations = 40;
    const perConversation = 15;
    const posts: Promise<Response>[] = [];
    // Webhooks for one conversation are sent one after another (as a vendor does), conversations in parallel.
    for (let c = 0; c < conversations; c++) {
      posts.push(
        (async () => {
          let last!: Response;
          for (let m = 0; m < perConversation; m++) {
            last = await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload(`c${c}`, [`m${m}`]));
            expect(last.status).toBe(200);
          }
          return last;
        })(),
      );
    }
    await Promise.all(posts);
    await eventually(() => expect(targetB.accepted).toHaveLength(conversations * perConversation), 20_000);
    const byConversation = new Map<string, string[]>();
    for (const r of targetB.accepted) {
      const id = (r.body.event as { origin: { messageId: string; conversationId: string } }).origin;
      byConversation.set(id.conversationId, [...(byConversation.get(id.conversationId) ?? []), id.messageId]);
    }
    expect(byConversation.size).toBe(conversations);
    for (const ids of byConversation.values()) {
      expect(ids).toEqual(Array.from({ length: perConversation }, (_, m) => `m${m}`));
    }
    expect(targetB.raw).toHaveLength(conversations * perConversation);
  }, 90_000);

  it('when a vendor redelivers a webhook, then the event reaches the other side once', async () => {
    await start();
    const first = await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('dup', ['1', '2']));
    expect(await first.json()).toEqual({ accepted: 2, duplicates: 0, dropped: 0 });
    const again = await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('dup', ['2', '1', '3']));
    expect(await again.json()).toEqual({ accepted: 1, duplicates: 2, dropped: 0 });
    await eventually(() => expect(targetB.accepted).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 200));
    expect(targetB.raw.map((r) => r.key)).toEqual(['relay-a:dup:1', 'relay-a:dup:2', 'relay-a:dup:3']);
  });

  it('when the target fails with 503 twice, then the event is retried and delivered once, later events after it', async () => {
    await start();
    targetB.failNext('relay-a:retry:1', { status: 503 }, 2);
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('retry', ['1', '2']));
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:retry:1', 'relay-a:retry:2']));
    expect(targetB.attemptsFor('relay-a:retry:1')).toBe(3);
    expect(targetB.attemptsFor('relay-a:retry:2')).toBe(1);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/chatbridge_delivery_retries_total\{tenant="acme",platform="relay-b"\} 2/);
  });

  it('when the target answers 401, then the credential is refreshed once and the send retried at once', async () => {
    await start();
    const before = authRefreshes.get('relay-b') ?? 0;
    targetB.failNext('relay-a:auth:1', { status: 401 });
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('auth', ['1']));
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:auth:1']));
    expect(targetB.attemptsFor('relay-a:auth:1')).toBe(2);
    expect(authRefreshes.get('relay-b')).toBe(before + 1);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).not.toMatch(/chatbridge_delivery_retries_total\{tenant="acme",platform="relay-b"\} [1-9]/);
  });

  it('when the target answers 429 with Retry-After, then the next attempt waits at least that long', async () => {
    await start();
    targetB.failNext('relay-a:rl:1', { status: 429, headers: { 'Retry-After': '1' } });
    const sentAt = Date.now();
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('rl', ['1']));
    await eventually(() => expect(targetB.accepted).toHaveLength(1));
    expect(targetB.attemptsFor('relay-a:rl:1')).toBe(2);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1000);
  });

  it('when the target refuses an event for good, then it is dead-lettered, the conversation goes on, and a replay delivers it', async () => {
    await start();
    targetB.failNext('relay-a:perm:1', { status: 400 });
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('perm', ['1', '2']));
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:perm:2']));
    expect(targetB.attemptsFor('relay-a:perm:1')).toBe(1);

    const auth = { authorization: 'Bearer admin-token-0123456789' };
    const listed = (await (await fetch(`${base}/admin/dead-letters`, { headers: auth })).json()) as {
      count: number;
      deadLetters: { id: string; reason: string; delivery: { event: { id: string } } }[];
    };
    expect(listed.count).toBe(1);
    expect(listed.deadLetters[0]!.delivery.event.id).toBe('relay-a:perm:1');
    expect(listed.deadLetters[0]!.reason).toMatch(/answered 400/);

    const replay = await fetch(`${base}/admin/dead-letters/${listed.deadLetters[0]!.id}/replay`, { method: 'POST', headers: auth });
    expect(replay.status).toBe(202);
    // A single replay is not put back in its place: the answer says where it goes.
    expect(await replay.json()).toMatchObject({ eventId: 'relay-a:perm:1', order: 'after-later-messages', note: expect.stringMatching(/after every message/) });
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:perm:2', 'relay-a:perm:1']));
    const after = (await (await fetch(`${base}/admin/dead-letters`, { headers: auth })).json()) as { count: number };
    expect(after.count).toBe(0);
    const again = await fetch(`${base}/admin/dead-letters/${listed.deadLetters[0]!.id}/replay`, { method: 'POST', headers: auth });
    expect(again.status).toBe(404);
  });

  it('when the target fails for longer than retryFor, then the lane is given up whole as one group, and its replay delivers the group together and in order', async () => {
    await start({ retryFor: '1s', breaker: { openMs: 50, maxOpenMs: 200 } });
    targetB.failAll = { status: 500 };
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('exhaust', ['1', '2', '3']));
    await eventually(async () => expect(await service.bridge.queue.deadLetterCount()).toBe(3), 10_000);
    // The head blocked the lane: the events behind it were never sent, never skipped ahead of it.
    expect(targetB.attemptsFor('relay-a:exhaust:1')).toBeGreaterThan(1);
    expect(targetB.attemptsFor('relay-a:exhaust:2')).toBe(0);
    const letters = await service.bridge.queue.listDeadLetters(10);
    expect(letters.map((l) => [l.delivery.event.id, l.position])).toEqual([
      ['relay-a:exhaust:1', 1],
      ['relay-a:exhaust:2', 2],
      ['relay-a:exhaust:3', 3],
    ]);
    const group = letters[0]!.group!;
    expect(letters.every((l) => l.group === group)).toBe(true);
    expect(letters[0]!.reason).toMatch(/gave up after retrying for \d+ s \(delivery.retryFor\)/);
    expect(letters[1]!.reason).toMatch(/given up with its lane/);
    expect(await service.bridge.queue.depth()).toBe(0);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/chatbridge_dead_letters_total\{tenant="acme",platform="relay-b"\} 3/);

    // The vendor is back and the customer goes on: the conversation continues in a fresh lane.
    targetB.failAll = undefined;
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('exhaust', ['4']));
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:exhaust:4']));
    const auth = { authorization: 'Bearer admin-token-0123456789' };
    const replay = await fetch(`${base}/admin/dead-letters/groups/${group}/replay`, { method: 'POST', headers: auth });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toMatchObject({ replayedGroup: group, count: 3, order: 'together-in-order' });
    await eventually(() =>
      expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:exhaust:4', 'relay-a:exhaust:1', 'relay-a:exhaust:2', 'relay-a:exhaust:3']),
    );
    expect(await service.bridge.queue.deadLetterCount()).toBe(0);
    const again = await fetch(`${base}/admin/dead-letters/groups/${group}/replay`, { method: 'POST', headers: auth });
    expect(again.status).toBe(404);
  });

  it('when the target answers 503 for longer than a few attempts, then the lane waits and delivers everything in order, nothing dead-lettered', async () => {
    await start({ breaker: { failures: 3, openMs: 50, maxOpenMs: 200 } });
    targetB.failAll = { status: 503 };
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('wait', ['1', '2', '3']));
    await eventually(() => expect(targetB.attemptsFor('relay-a:wait:1')).toBeGreaterThan(8));
    targetB.failAll = undefined;
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:wait:1', 'relay-a:wait:2', 'relay-a:wait:3']));
    expect(await service.bridge.queue.deadLetterCount()).toBe(0);
  });

  it('when a target asks to wait, then no conversation of that tenant and platform is tried meanwhile, and other tenants go on', async () => {
    await start({ breaker: { failures: 2, openMs: 50, maxOpenMs: 200 } });
    targetB.failMatching = { test: (key) => key.startsWith('relay-a:paused-'), fault: { status: 429, headers: { 'Retry-After': '2' } } };
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('paused-1', ['1']));
    await eventually(() => expect(service.bridge.breaker.list()).toContainEqual(expect.objectContaining({ tenant: 'acme', platform: 'relay-b', state: 'open' })));
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('paused-2', ['1']));
    await postWebhook(`${base}/webhooks/globex/relay-a`, relayPayload('going-on', ['1']), 'token-for-relay-a-globex');
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:going-on:1']));
    // Inside the vendor's 2 s: acme's other conversation waits unattempted, the first one was tried once.
    expect(service.bridge.breaker.list()).toContainEqual(expect.objectContaining({ tenant: 'acme', platform: 'relay-b', state: 'open' }));
    expect(targetB.attemptsFor('relay-a:paused-2:1')).toBe(0);
    expect(targetB.attemptsFor('relay-a:paused-1:1')).toBe(1);
    targetB.failMatching = undefined;
    await eventually(() => expect(targetB.accepted.map((r) => r.key).sort()).toEqual(['relay-a:going-on:1', 'relay-a:paused-1:1', 'relay-a:paused-2:1']));
    expect(await service.bridge.queue.deadLetterCount()).toBe(0);
  });

  it('when the queue is full, then webhooks answer 503 with Retry-After until deliveries catch up', async () => {
    await start({ maxQueueDepth: 5 });
    targetB.failAll = { status: 503 };
    let answer: Response | undefined;
    let m = 0;
    await eventually(async () => {
      answer = await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('full', [`${m++}`]));
      expect(answer.status).toBe(503);
    });
    expect(answer!.headers.get('retry-after')).toBe('1');
    expect(await answer!.json()).toEqual({ error: 'overloaded', message: 'the delivery queue is full; retry later' });
    targetB.failAll = undefined;
    await eventually(async () => {
      const res = await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('later', ['1']));
      expect(res.status).toBe(200);
    });
  });

  it('when agents answer, then their messages go back to the customer platform of that conversation', async () => {
    await start();
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('both', ['q1']));
    await eventually(() => expect(targetB.accepted).toHaveLength(1));
    const nativeOnB = String(targetB.accepted[0]!.conversation);
    const res = await postWebhook(`${base}/webhooks/acme/relay-b`, relayPayload(nativeOnB, ['a1'], 'agent'), 'token-for-relay-b');
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, dropped: 0 });
    await eventually(() => expect(targetA.accepted.map((r) => r.key)).toEqual([`relay-b:${nativeOnB}:a1`]));
    const unknown = await postWebhook(`${base}/webhooks/acme/relay-b`, relayPayload('nobody', ['x'], 'agent'), 'token-for-relay-b');
    expect(await unknown.json()).toEqual({ accepted: 0, duplicates: 0, dropped: 1 });
  });

  it('when the message link cannot be stored after the send, then the message is not sent again and the lane goes on', async () => {
    await start();
    const store = service.bridge.store;
    const linkMessage = store.linkMessage.bind(store);
    // Only the link of what was delivered to relay-b fails; the intake link still works.
    store.linkMessage = async (tenant, eventId, platform, nativeId) => {
      if (platform === 'relay-b') throw new Error('store down');
      return linkMessage(tenant, eventId, platform, nativeId);
    };
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('unlinked', ['1', '2']));
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:unlinked:1', 'relay-a:unlinked:2']));
    await eventually(async () => expect(await service.bridge.queue.depth()).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(targetB.accepted).toHaveLength(2);
    expect(await service.bridge.queue.deadLetterCount()).toBe(0);
  });
});
