import { ChatbridgeService } from '../../src/service.js';
import { TargetServer } from '../support/target-server.js';
import { TOKEN_A, postWebhook, relayConfig, relayPayload, startRelayBridge } from '../support/bridge-fixture.js';

describe('HTTP ingress', () => {
  const target = new TargetServer();
  let service: ChatbridgeService;
  let base: string;

  beforeAll(async () => {
    const url = await target.start();
    service = await startRelayBridge(
      relayConfig({ store: 'memory', targetA: url, targetB: url, server: { bodyLimit: '16kb' }, tenants: ['acme', 'globex'] }),
    );
    base = service.url;
  });
  afterAll(async () => {
    await service.stop();
    await target.close();
  });

  async function depth() {
    return service.bridge.queue.depth();
  }

  it('when the tenant is unknown, then 404 with a JSON body', async () => {
    const res = await postWebhook(`${base}/webhooks/nobody/relay-a`, relayPayload('c', ['1']));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', message: 'no such tenant or platform' });
  });

  it('when the platform is unknown to the tenant, then 404', async () => {
    const res = await postWebhook(`${base}/webhooks/acme/nope`, relayPayload('c', ['1']));
    expect(res.status).toBe(404);
  });

  it('when the credential is missing or wrong, then 401 and nothing is enqueued', async () => {
    const before = await depth();
    const missing = await fetch(`${base}/webhooks/acme/relay-a`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(relayPayload('auth', ['1'])),
    });
    const wrong = await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('auth', ['1']), 'wrong-token-xx');
    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'unauthenticated' });
    expect(await depth()).toBe(before);
  });

  it("when one tenant's valid credential is used on another tenant's URL, then 401", async () => {
    const cross = await postWebhook(`${base}/webhooks/globex/relay-a`, relayPayload('x', ['1']), TOKEN_A);
    expect(cross.status).toBe(401);
    const own = await postWebhook(`${base}/webhooks/globex/relay-a`, relayPayload('x', ['1']), `${TOKEN_A}-globex`);
    expect(own.status).toBe(200);
  });

  it('when the body is not JSON, then 400 naming the problem', async () => {
    const res = await postWebhook(`${base}/webhooks/acme/relay-a`, '{"messages": [');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_payload', message: 'the body is not valid JSON' });
  });

  it('when the content type is not JSON, then 415', async () => {
    const res = await postWebhook(`${base}/webhooks/acme/relay-a`, JSON.stringify(relayPayload('c', ['1'])), TOKEN_A, {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('when the body is over the limit, then 413', async () => {
    const res = await postWebhook(`${base}/webhooks/acme/relay-a`, { messages: [{ conversation: 'b', id: '1', text: 'x'.repeat(40_000) }] });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('when the payload fails validation, then 400 with the paths that are wrong', async () => {
    const res = await postWebhook(`${base}/webhooks/acme/relay-a`, { messages: [{ conversation: '', id: 1 }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; details: { path: string }[] };
    expect(body.error).toBe('invalid_payload');
    expect(body.details.map((d) => d.path).sort()).toEqual(['messages.0.conversation', 'messages.0.id', 'messages.0.text']);
  });

  it('when garbage of every kind arrives, then the process keeps serving', async () => {
    const bodies = ['', 'null', '[]', '"x"', '{"messages":null}', '\u0000\u0001', '{"__proto__":{"x":1},"messages":[]}'];
    for (const body of bodies) {
      const res = await postWebhook(`${base}/webhooks/acme/relay-a`, body);
      expect(res.status).toBe(400);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('when an endpoint does not exist, then a JSON 404', async () => {
    const res = await fetch(`${base}/nothing/here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });

  it('reports health, readiness and metrics', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', store: 'ok', queue: 'ok' });
    await postWebhook(`${base}/webhooks/acme/relay-a`, relayPayload('metrics', ['1']));
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/chatbridge_events_in_total\{tenant="acme",platform="relay-a",kind="message"\} \d+/);
    expect(text).toMatch(/chatbridge_inbound_rejected_total\{platform="relay-a",status="401"\} \d+/);
    expect(text).toContain('chatbridge_queue_depth');
    expect(text).not.toContain(TOKEN_A);
  });

  it('when the admin token is missing or wrong, then the admin API answers 401', async () => {
    expect((await fetch(`${base}/admin/dead-letters`)).status).toBe(401);
    const wrong = await fetch(`${base}/admin/dead-letters`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${base}/admin/dead-letters`, { headers: { authorization: 'Bearer admin-token-0123456789' } });
    expect(right.status).toBe(200);
  });
});
