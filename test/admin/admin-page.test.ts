import { eventually, postWebhook, relayConfig, relayPayload, startRelayBridge } from '../support/bridge-fixture.js';
import { TargetServer } from '../support/target-server.js';
import type { ChatbridgeService } from '../../src/service.js';

const ADMIN_TOKEN = 'admin-token-0123456789';
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('GET /admin, the status page', () => {
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

  const page = (path = '/admin', headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers, redirect: 'manual' });
  const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  test('when no credential is sent, then it answers 401 with advice and a strict CSP', async () => {
    const res = await page();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).toContain('/admin?token=&#60;admin token&#62;');
  });

  test('when the bearer token is sent, then tenants, routes with weights, queue depth and dead letters are listed', async () => {
    const res = await page('/admin', asAdmin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    const html = await res.text();
    expect(html).not.toContain('<script');
    expect(html).toContain('<code>acme</code>');
    expect(html).toContain('relay-a &rarr; relay-b (weight 100, 100% of new conversations)');
    expect(html).toMatch(/<strong>0<\/strong>queued deliveries/);
    expect(html).toMatch(/<strong>0<\/strong>dead letters/);
  });

  test('when the token comes in the query, then a signed HttpOnly SameSite=Strict cookie is set and the token leaves the URL', async () => {
    const res = await page(`/admin?token=${ADMIN_TOKEN}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^chatbridge_admin=\d+\.[\w-]+; Path=\/admin; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
    expect(await res.text()).not.toContain(ADMIN_TOKEN);

    const session = cookie.split(';')[0]!;
    expect((await page('/admin', { cookie: session })).status).toBe(200);
    expect((await page('/admin', { cookie: `${session.slice(0, -2)}xx` })).status).toBe(401);
    // The cookie is for the page only: the JSON admin API still wants the bearer token.
    expect((await page('/admin/dead-letters', { cookie: session })).status).toBe(401);
  });

  test('when a wrong token comes in the query, then no cookie is set and the token is not echoed', async () => {
    const res = await page('/admin?token=guessed-token-with-<b>markup</b>');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).not.toContain('guessed-token');
  });

  test('when conversations run and one dead-letters, then their native ids and the dead letter show, escaped', async () => {
    targetB.failNext(`relay-a:${HOSTILE}:m1`, { status: 400 });
    await postWebhook(`${service.url}/webhooks/acme/relay-a`, relayPayload(HOSTILE, ['m1']));
    await postWebhook(`${service.url}/webhooks/acme/relay-a`, relayPayload('conv-live-2', ['m1']));
    await eventually(async () => expect(await service.bridge.queue.deadLetterCount()).toBe(1));
    await eventually(() => expect(targetB.accepted).toHaveLength(1));

    const html = await (await page('/admin', asAdmin)).text();
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('relay-a (customer): <code>&#60;img src=x onerror=alert(1)&#62;</code>');
    expect(html).toContain('relay-a (customer): <code>conv-live-2</code>');
    expect(html).toMatch(/relay-b \(agent\): <code>relay-b-[0-9a-f-]{36}<\/code>/);
    expect(html).toMatch(/<strong>1<\/strong>dead letters/);
    expect(html).toContain('<code>relay-a:&#60;img src=x onerror=alert(1)&#62;:m1</code>');
  });

  test('when a conversation ends, then it leaves the live list', async () => {
    await service.bridge.ingest('acme', 'relay-a', [
      {
        kind: 'conversation.ended',
        id: 'relay-a:conv-live-2:ended',
        origin: { platform: 'relay-a', conversationId: 'conv-live-2' },
        sender: { role: 'customer' },
        timestamp: new Date().toISOString(),
        endedBy: 'customer',
      },
    ]);
    const html = await (await page('/admin', asAdmin)).text();
    expect(html).not.toContain('conv-live-2');
    expect(html).toContain('&#60;img src=x');
  });
});
