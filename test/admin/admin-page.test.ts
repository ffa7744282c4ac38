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
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
  const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  /** Signs in through the form; returns the session cookie and the CSRF token its page carries. */
  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const res = await post('/admin/sign-in', { token: ADMIN_TOKEN });
    expect(res.status).toBe(303);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const html = await (await page('/admin', { cookie })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    expect(csrf).toBeDefined();
    return { cookie, csrf: csrf! };
  }

  test('when no credential is sent, then it answers 401 with a sign-in form (POST) and a strict CSP', async () => {
    const res = await page();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    const html = await res.text();
    expect(html).toContain('<form class="signin" method="post" action="/admin/sign-in">');
    expect(html).toContain('type="password"');
  });

  test('when the bearer token is sent, then tenants, routes with weights, queue depth and dead letters are listed, without forms', async () => {
    const res = await page('/admin', asAdmin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    const html = await res.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<form');
    expect(html).toContain('<code>acme</code>');
    expect(html).toContain('relay-a &rarr; relay-b (weight 100, 100% of new conversations)');
    expect(html).toMatch(/<strong>0<\/strong>queued deliveries/);
    expect(html).toMatch(/<strong>0<\/strong>dead letters/);
  });

  test('when the sign-in form posts the token, then a signed HttpOnly SameSite=Strict cookie is set and no URL ever holds the token', async () => {
    const res = await post('/admin/sign-in', { token: ADMIN_TOKEN });
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
    // A token in the query string signs nobody in.
    const query = await page(`/admin?token=${ADMIN_TOKEN}`);
    expect(query.status).toBe(401);
    expect(query.headers.get('set-cookie')).toBeNull();
  });

  test('when a wrong token is posted, then no cookie is set and the token is not echoed', async () => {
    const res = await post('/admin/sign-in', { token: 'guessed-token-with-<b>markup</b>' });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).not.toContain('guessed-token');
  });

  test('when a signed-in browser signs out with its form, then the cookie is cleared; without the CSRF token it is refused', async () => {
    const { cookie, csrf } = await signIn();
    expect((await post('/admin/sign-out', {}, { cookie })).status).toBe(403);
    expect((await post('/admin/sign-out', { csrf }, { cookie, origin: 'https://evil.example' })).status).toBe(403);
    const out = await post('/admin/sign-out', { csrf }, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^chatbridge_admin=; Path=\/admin; Max-Age=0/);
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

  test('when a signed-in operator replays a dead letter with its form, then it is delivered; a forged form replays nothing', async () => {
    const [letter] = await service.bridge.queue.listDeadLetters(10);
    const { cookie, csrf } = await signIn();
    const action = `/admin/page/dead-letters/${encodeURIComponent(letter!.id)}/replay`;
    expect((await page('/admin', { cookie }).then((r) => r.text()))).toContain(`action="${action}"`);

    expect((await post(action, { csrf: 'forged' }, { cookie })).status).toBe(403);
    expect((await post(action, { csrf }, asAdmin)).status).toBe(401);
    expect(await service.bridge.queue.deadLetterCount()).toBe(1);

    const res = await post(action, { csrf }, { cookie, origin: service.url });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin?notice=replayed#dead-letters');
    await eventually(() => expect(targetB.accepted.map((r) => r.key)).toContain(`relay-a:${HOSTILE}:m1`));
    expect(await service.bridge.queue.deadLetterCount()).toBe(0);
    const html = await (await page('/admin?notice=replayed', { cookie })).text();
    expect(html).toContain('Dead letter replayed: it is queued again at the end of its conversation');
    expect(html).toMatch(/relay-a-&#62;relay-b: <strong>2<\/strong> in the last hour/);
    expect((await post(action, { csrf }, { cookie })).headers.get('location')).toBe('/admin?notice=replay-missing#dead-letters');
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
