import { ADMIN_TOKEN, bridgePerTest, onlyConversation } from '../e2e/harness.js';
import { eventually } from '../support/eventually.js';

/** The status page's hand-back button: a form post guarded by the session cookie and its CSRF token. */
describe('POST /admin/page/conversations/:id/hand-back, the status page button', () => {
  const bridge = bridgePerTest({ store: 'memory', tenants: [{ id: 'acme', customer: 'rightnow', agent: 'liveperson' }] });

  function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${bridge().service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
  }

  async function signIn(): Promise<{ cookie: string; html: string }> {
    const res = await post('/admin/sign-in', { token: ADMIN_TOKEN });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const html = await (await fetch(`${bridge().service.url}/admin`, { headers: { cookie } })).text();
    return { cookie, html };
  }

  async function liveConversation(): Promise<{ engagement: string; id: string }> {
    const { rightnow: rn, liveperson: lp } = bridge().tenant('acme');
    const engagement = rn!.customerStartsChat({ firstName: 'Zoë' });
    rn!.customerSays(engagement, 'hello');
    await eventually(() => void onlyConversation(lp!));
    return { engagement, id: (await bridge().service.bridge.store.resolveConversation('acme', 'rightnow', engagement))!.id };
  }

  it('when a signed-in browser opens the page, then each live conversation has a button whose form carries the session\'s CSRF token', async () => {
    const { id } = await liveConversation();
    const { html } = await signIn();
    const csrf = /name="csrf" value="([\w-]+)"/.exec(html)![1]!;
    expect(html).toContain(
      `<form class="inline" method="post" action="/admin/page/conversations/${id}/hand-back"><input type="hidden" name="tenant" value="acme"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">hand back to rightnow&rsquo;s agents</button></form>`,
    );
    // A script with the bearer token reads the page but gets no forms.
    const asScript = await (await fetch(`${bridge().service.url}/admin`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(asScript).toContain(id);
    expect(asScript).not.toContain('/hand-back');
  });

  it('when the form comes without the session or its CSRF token, then nothing is handed back; with both, it is', async () => {
    const { engagement, id } = await liveConversation();
    const { cookie, html } = await signIn();
    const csrf = /name="csrf" value="([\w-]+)"/.exec(html)![1]!;
    const path = `/admin/page/conversations/${id}/hand-back`;
    const rn = bridge().tenant('acme').rightnow!;

    expect((await post(path, { tenant: 'acme', csrf })).status).toBe(401);
    expect((await post(path, { tenant: 'acme' }, { cookie })).status).toBe(403);
    expect((await post(path, { tenant: 'acme', csrf: `${csrf.slice(0, -2)}xx` }, { cookie })).status).toBe(403);
    expect((await post(path, { tenant: 'acme', csrf }, { cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect(rn.rerouted).toEqual([]);

    const done = await post(path, { tenant: 'acme', csrf }, { cookie });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/admin?notice=handed-back#live');
    expect(rn.rerouted).toEqual([Number(engagement)]);

    const twice = await post(path, { tenant: 'acme', csrf }, { cookie });
    expect(twice.headers.get('location')).toBe('/admin?notice=hand-back-conflict#live');
    const page = await (await fetch(`${bridge().service.url}/admin?notice=handed-back`, { headers: { cookie } })).text();
    expect(page).toContain("its customer platform&#39;s own agents have it");
    expect(page).not.toContain(`/admin/page/conversations/${id}/hand-back`);
  });
});
