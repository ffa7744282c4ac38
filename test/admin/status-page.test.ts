import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { requestSay } from '../../src/sandbox/control.js';
import type { ChatbridgeService } from '../../src/service.js';
import { eventually, postWebhook, relayConfig, relayPayload, startRelayBridge } from '../support/bridge-fixture.js';
import { runningInCi } from '../support/redis.js';
import { type RunningSandbox, runSandbox } from '../sandbox/running-sandbox.js';
import { TargetServer } from '../support/target-server.js';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it), never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !runningInCi()) console.warn(`SKIPPING the status page browser test: no ${CHROMIUM} (apt-get install chromium).`);

(haveChromium || runningInCi() ? describe : describe.skip)('the /admin status page in headless Chromium', () => {
  let running: RunningSandbox;
  let browser: Browser;
  const shots = mkdtempSync(join(tmpdir(), 'cb-status-page-'));

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set and ${CHROMIUM} is missing: install Debian's chromium (see .ci/run)`);
    running = await runSandbox();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    rmSync(shots, { recursive: true, force: true });
  });

  test('when an operator signs in with the form, then the page shows tenants, routes, the conversation ids on each side and the queue', async () => {
    const hello = await requestSay(running.stateFile, { tenant: 'demo', as: 'customer', text: 'Hello from the browser test' });
    expect(hello.delivered).toBe(true);
    const bridgeUrl = running.service.url;
    const adminToken = running.sandbox.config.server.adminToken!;

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => void problems.push(e.message));

    expect((await page.goto(`${bridgeUrl}/admin`))?.status()).toBe(401);
    await page.fill('input[name="token"]', adminToken);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${bridgeUrl}/admin`);
    // The 401 of the sign-in form itself is the only console error allowed: the page must add none.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    problems.length = 0;
    expect(await page.locator('h2', { hasText: 'Tenants and routes' }).count()).toBe(1);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'chatbridge_admin', httpOnly: true, sameSite: 'Strict', path: '/admin' });
    expect(cookie!.value).not.toContain(adminToken);

    await expect(page.title()).resolves.toBe('chatbridge status');
    const tenants = page.locator('table').first();
    expect(await tenants.innerText()).toContain('demo');
    expect(await tenants.innerText()).toContain(
      'rightnow → egain (weight 100, 50% of new conversations), liveperson (weight 100, 50% of new conversations)',
    );
    const live = await page.locator('h3:has-text("demo") + table').innerText();
    expect(live).toContain(hello.conversationId!);
    expect(live).toContain(`rightnow (customer): ${hello.said.conversation}`);
    expect(live).toContain(`${hello.expected.platform} (agent): ${hello.expected.conversation}`);
    expect(await page.locator('.figure', { hasText: 'queued deliveries' }).innerText()).toMatch(/^0\s*queued deliveries$/);
    expect(await page.locator('.figure', { hasText: 'dead letters' }).innerText()).toMatch(/^0\s*dead letters$/);
    // The hello was delivered: its route's chart has a bar, drawn as SVG by the server.
    const chart = page.locator(`figure.chart svg[aria-label^="rightnow->${hello.expected.platform}: 1 message(s)"]`);
    expect(await chart.count()).toBe(1);
    expect(await chart.locator('rect[fill="#3b6fd4"]').count()).toBe(1);
    // The style block is allowed by its CSP hash (a mismatch would leave the page unstyled and log a violation).
    // An expression string: the test is compiled without the DOM library; it runs in the page.
    expect(await page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse")).toBe('collapse');
    expect(problems).toEqual([]);

    const shot = join(shots, 'status-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    await page.click('button:has-text("sign out")');
    await page.waitForURL(`${bridgeUrl}/admin`);
    expect(await page.locator('input[name="token"]').count()).toBe(1);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  test('when an operator clicks replay on a dead letter, then it is delivered and the page says where it went', async () => {
    const targetA = new TargetServer();
    const targetB = new TargetServer();
    const [a, b] = await Promise.all([targetA.start(), targetB.start()]);
    let service: ChatbridgeService | undefined;
    try {
      service = await startRelayBridge(relayConfig({ store: 'memory', targetA: a, targetB: b }));
      targetB.failNext('relay-a:refused:m1', { status: 400 });
      await postWebhook(`${service.url}/webhooks/acme/relay-a`, relayPayload('refused', ['m1']));
      await eventually(async () => expect(await service!.bridge.queue.deadLetterCount()).toBe(1));

      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${service.url}/admin`);
      await page.fill('input[name="token"]', 'admin-token-0123456789');
      await page.click('button[type="submit"]');
      await page.waitForURL(`${service.url}/admin`);
      expect(await page.locator('.figure', { hasText: 'dead letters' }).innerText()).toMatch(/^1\s*dead letters$/);
      await page.click('#dead-letters + table button:has-text("replay")');
      await page.waitForURL(/\/admin\?notice=replayed#dead-letters$/);
      expect(await page.locator('.notice').innerText()).toContain('queued again at the end of its conversation, after any later messages');
      await eventually(() => expect(targetB.accepted.map((r) => r.key)).toEqual(['relay-a:refused:m1']));
      await context.close();
    } finally {
      await service?.stop();
      await Promise.all([targetA.close(), targetB.close()]);
    }
  });

  test('when an operator clicks a conversation\'s hand-back button, then it goes back to RightNow\'s own agents', async () => {
    const said = await requestSay(running.stateFile, { tenant: 'demo', as: 'customer', text: 'Please give me a human of the old team' });
    expect(said.delivered).toBe(true);
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    await page.goto(`${running.service.url}/admin`);
    await page.fill('input[name="token"]', running.sandbox.config.server.adminToken!);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${running.service.url}/admin`);
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));

    const row = page.locator('#live ~ table tr', { hasText: said.conversationId! });
    await row.locator('button:has-text("hand back to rightnow")').click();
    await page.waitForURL(/\/admin\?notice=handed-back#live$/);
    expect(await page.locator('.notice').innerText()).toContain("its customer platform's own agents have it");
    expect(await page.locator('#live ~ table').allInnerTexts()).not.toContainEqual(expect.stringContaining(said.conversationId!));
    // A form-action or style the CSP blocked would show here.
    expect(problems).toEqual([]);
    await context.close();
  });

  test('when a browser without the session cookie opens /admin, or puts the token in the URL, then it gets the sign-in form', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${running.service.url}/admin?token=${running.sandbox.config.server.adminToken}`);
    expect(response?.status()).toBe(401);
    expect(await page.locator('form.signin input[type="password"]').count()).toBe(1);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });
});
