import { ADMIN_TOKEN, bridgePerTest, onlyConversation } from '../e2e/harness.js';
import { eventually } from '../support/eventually.js';

/** The status page's hand-back button: a form post guarded by the session cookie and its CSRF token. */
describe('POST /admin/hand-back, the status page button', () => {
  const bridge = bridgePerTest({ store: 'memory', tenants: [{ id: 'acme', customer: 'rightnow', agent: 'liveperson' }] });

  async function signIn(): Promise<string> {
    const res = await fetch(`${bridge().service.url}/admin?token=${ADMIN_TOKEN}`, { redirect: 'manual' });
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  }

  async function liveConversation(): Promise<{ engagement: string; id: string }> {
    const { rightnow: rn, liveperson: lp } = bridge().tenant('acme');
    const engagement = rn!.customerStartsChat({ firstName: 'Zoë' });
    rn!.customerSays(engagement, 'hello');
    await eventually(() => void onlyConversation(lp!));
    return { engagement, id: (await bridge().service.bridge.store.resolveConversation('acme', 'rightnow', engagement))!.id };
  }

  function post(form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${bridge().service.url}/admin/hand-back`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
  }

  it('when the page is opened in a session, then each live conversation has a button whose form carries that session\'s CSRF token', async () => {
    const { id } = await liveConversation();
    const cookie = await signIn();
    const res = await fetch(`${bridge().service.url}/admin`, { headers: { cookie } });
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    const html = await res.text();
    const form = new RegExp(
      `<form method="post" action="/admin/hand-back"><input type="hidden" name="tenant" value="acme"><input type="hidden" name="conversation" value="${id}"><input type="hidden" name="csrf" value="([\\w-]{43})"><button type="submit">Hand back to rightnow&rsquo;s agents</button></form>`,
    ).exec(html);
    expect(form).not.toBeNull();
    const otherSession = await fetch(`${bridge().service.url}/admin`, { headers: { cookie: await signInLater() } });
    expect(await otherSession.text()).not.toContain(form![1]);

    async function signInLater(): Promise<string> {
      // A session signed a second later has another value, so another CSRF token.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      return signIn();
    }
  });

  it('when the form comes without the session, without its CSRF token or with another one, then nothing is handed back', async () => {
    const { engagement, id } = await liveConversation();
    const cookie = await signIn();
    const html = await (await fetch(`${bridge().service.url}/admin`, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([\w-]+)"/.exec(html)![1]!;

    expect((await post({ tenant: 'acme', conversation: id, csrf })).status).toBe(401);
    expect((await post({ tenant: 'acme', conversation: id }, { cookie })).status).toBe(403);
    const forged = await post({ tenant: 'acme', conversation: id, csrf: `${csrf.slice(0, -2)}xx` }, { cookie });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('did not come from the status page');
    expect(bridge().tenant('acme').rightnow!.rerouted).toEqual([]);

    const done = await post({ tenant: 'acme', conversation: id, csrf }, { cookie });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`Conversation ${id} was handed back to rightnow&#39;s own agents and ended on liveperson.`);
    expect(bridge().tenant('acme').rightnow!.rerouted).toEqual([Number(engagement)]);

    const twice = await post({ tenant: 'acme', conversation: id, csrf }, { cookie });
    expect(twice.status).toBe(409);
    const page = await (await fetch(`${bridge().service.url}/admin`, { headers: { cookie } })).text();
    expect(page).not.toContain(`value="${id}"`);
  });

  it('when a script posts the form with the bearer token, then no CSRF token is needed', async () => {
    const { id } = await liveConversation();
    const res = await post({ conversation: id }, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(200);
  });
});
