import { eventually } from '../support/eventually.js';
import { OutageProxy } from '../support/outage-proxy.js';
import { ADMIN_TOKEN, consumerEvents, CUSTOMER_CHANNEL, type E2eBridge, STORE_MODES, startE2eBridge } from './harness.js';

const CONVERSATIONS = 4;
/**
 * Longer than the whole retry budget of the old `maxAttempts: 8` at the harness's timings (20 ms to
 * 200 ms backoff): two quick retries then six parked ones came to at most about 1.2 s per event.
 */
const UNAVAILABLE_MS = 1600;
const RATE_LIMITED_MS = 1500;
const RETRY_AFTER_S = 1;

/** The gauge's value for beta's LivePerson target, from the bridge's own /metrics. */
async function gauge(bridge: E2eBridge, name: string): Promise<number> {
  const text = await (await fetch(`${bridge.service.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{tenant="beta",platform="liveperson"}`));
  return Number(line?.split(' ').at(-1));
}

describe.each(STORE_MODES)('route egain -> liveperson through a LivePerson outage (%s store)', (store) => {
  let bridge: E2eBridge | undefined;
  let proxy: OutageProxy | undefined;

  afterEach(async () => {
    await bridge?.close();
    await proxy?.close();
  });

  it('when LivePerson answers 503, then 429 with Retry-After, then recovers, then every acknowledged message arrives once and in order, nothing is dead-lettered and nothing is sent inside Retry-After', async () => {
    bridge = await startE2eBridge({
      store,
      delivery: { breaker: { failures: 3, openMs: 50, maxOpenMs: 200 } },
      tenants: [
        {
          id: 'beta',
          customer: 'egain',
          agent: 'liveperson',
          livepersonMessagingVia: async (url) => {
            proxy = new OutageProxy(url);
            return proxy.start();
          },
        },
      ],
    });
    const running = bridge;
    const eg = running.tenant('beta').egain!;
    const lp = running.tenant('beta').liveperson!;
    const chats = Array.from({ length: CONVERSATIONS }, (_, i) => eg.openConversation(CUSTOMER_CHANNEL, `customer-${i}`));
    const acknowledged: string[][] = chats.map(() => []);

    /** Each customer says something in turn, one callback after another per conversation, as the Hub does. */
    async function talk(forMs: number): Promise<void> {
      const until = Date.now() + forMs;
      do {
        await Promise.all(
          chats.map(async (chat, i) => {
            const text = `c${i} m${acknowledged[i]!.length}`;
            const answer = await eg.customerSays(chat, text);
            if (answer.status === 200) acknowledged[i]!.push(text);
          }),
        );
        await new Promise((r) => setTimeout(r, 40));
      } while (Date.now() < until);
    }

    await talk(0);
    await eventually(() => expect(lp.conversations.size).toBe(CONVERSATIONS));

    proxy!.mode = { kind: 'fail', status: 503 };
    await talk(UNAVAILABLE_MS);
    // The target is paused as a whole, and the waiting conversations are counted with their age.
    const breaker = running.service.bridge.breaker.list().find((b) => b.tenant === 'beta' && b.platform === 'liveperson');
    expect(breaker?.state).toMatch(/^(open|half-open)$/);
    expect(await gauge(running, 'chatbridge_connector_state')).toBeGreaterThan(0);
    expect(await gauge(running, 'chatbridge_lanes_parked')).toBeGreaterThan(0);
    expect(await gauge(running, 'chatbridge_lane_oldest_age_seconds')).toBeGreaterThan(0);
    const page = await (await fetch(`${running.service.url}/admin`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    const delivery = page.slice(page.indexOf('<h2>Delivery per target'));
    const row = delivery.split('\n').find((line) => line.includes('<td><code>beta</code></td><td>liveperson</td>'));
    expect(row).toMatch(/<strong>(paused<\/strong> until|half-open<\/strong>).*answered 503.*<strong>\d+<\/strong>/);

    proxy!.mode = { kind: 'fail', status: 429, headers: { 'Retry-After': String(RETRY_AFTER_S) } };
    await talk(RATE_LIMITED_MS);
    proxy!.mode = { kind: 'forward' };
    await talk(200);

    const delivered = () =>
      [...lp.conversations.keys()]
        .map((id) => consumerEvents(lp, id).filter(([type]) => type.startsWith('ContentEvent')).map(([, text]) => String(text)))
        .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
    await eventually(() => expect(delivered()).toEqual(acknowledged), 10_000);
    expect(acknowledged.flat().length).toBeGreaterThan(CONVERSATIONS * 10);
    expect(await running.service.bridge.queue.deadLetterCount()).toBe(0);

    const seen = proxy!.requests;
    const limited = seen.filter((r) => r.status === 429);
    expect(seen.some((r) => r.status === 503)).toBe(true);
    expect(limited.length).toBeGreaterThan(0);
    for (const answer of limited) {
      const inside = seen.filter((r) => r.arrivedAt > answer.answeredAt && r.arrivedAt < answer.answeredAt + RETRY_AFTER_S * 1000);
      expect(inside).toEqual([]);
    }
    await eventually(async () => expect(await gauge(running, 'chatbridge_lanes_parked')).toBe(0));
    expect(await gauge(running, 'chatbridge_connector_state')).toBe(0);
  });
});
