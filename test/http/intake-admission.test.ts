import { ChatbridgeService } from '../../src/service.js';
import { TargetServer } from '../support/target-server.js';
import { postWebhook, relayConfig, relayPayload, startRelayBridge } from '../support/bridge-fixture.js';

/** Back-pressure counts a batch as a whole: it fits in the queue, or none of it is taken. */
describe('intake admission', () => {
  const target = new TargetServer();
  let service: ChatbridgeService;
  let base: string;

  beforeAll(async () => {
    const url = await target.start();
    service = await startRelayBridge(relayConfig({ store: 'memory', targetA: url, targetB: url, delivery: { maxQueueDepth: 5 } }));
    base = service.url;
    // Nothing leaves the queue while the test fills it.
    target.failAll = { status: 503 };
  });
  afterAll(async () => {
    await service.stop();
    await target.close();
  });

  it('when a batch would take the queue past maxQueueDepth, then it is refused whole with 503 and a batch that fits is taken', async () => {
    const url = `${base}/webhooks/acme/relay-a`;
    expect((await postWebhook(url, relayPayload('a', ['1', '2', '3']))).status).toBe(200);
    const over = await postWebhook(url, relayPayload('b', ['1', '2', '3']));
    expect(over.status).toBe(503);
    expect(over.headers.get('retry-after')).toBe('1');
    expect(await over.json()).toEqual({ error: 'overloaded', message: 'the delivery queue is full; retry later' });
    expect(await service.bridge.queue.depth()).toBe(3);
    expect(await (await postWebhook(url, relayPayload('b', ['1', '2']))).json()).toEqual({ accepted: 2, duplicates: 0, dropped: 0 });
    expect(await service.bridge.queue.depth()).toBe(5);
  });
});
