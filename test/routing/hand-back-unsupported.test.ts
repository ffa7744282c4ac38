import { eventually, postWebhook, relayConfig, relayPayload, startRelayBridge } from '../support/bridge-fixture.js';
import { TargetServer } from '../support/target-server.js';
import type { ChatbridgeService } from '../../src/service.js';

const ADMIN_TOKEN = 'admin-token-0123456789';

/** A customer platform whose adapter declares no handToNativeAgents cannot take a conversation back. */
describe('hand-back where the customer platform cannot take conversations back', () => {
  const targetA = new TargetServer();
  const targetB = new TargetServer();
  let service: ChatbridgeService;

  beforeAll(async () => {
    const [a, b] = await Promise.all([targetA.start(), targetB.start()]);
    service = await startRelayBridge(relayConfig({ store: 'memory', targetA: a, targetB: b }));
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([targetA.close(), targetB.close()]);
  });

  it('when an admin asks, then the answer is 422 naming the platform, and the conversation goes on', async () => {
    expect((await postWebhook(`${service.url}/webhooks/acme/relay-a`, relayPayload('c-1', ['1']))).status).toBe(200);
    await eventually(() => expect(targetB.accepted).toHaveLength(1));
    const id = (await service.bridge.store.resolveConversation('acme', 'relay-a', 'c-1'))!.id;

    const res = await fetch(`${service.url}/admin/conversations/${id}/hand-back`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: 'unsupported', message: 'relay-a cannot hand a conversation back to its own agents' });

    expect((await postWebhook(`${service.url}/webhooks/acme/relay-a`, relayPayload('c-1', ['2']))).status).toBe(200);
    await eventually(() => expect(targetB.accepted).toHaveLength(2));
  });
});
