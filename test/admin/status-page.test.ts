import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { requestSay } from '../../src/sandbox-control.js';
import { runningInCi } from '../support/redis.js';
import { type RunningSandbox, runSandbox } from '../sandbox/running-sandbox.js';

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

  test('when an operator opens the token link, then the page shows tenants, routes, the conversation ids on each side and the queue', async () => {
    const hello = await requestSay(running.stateFile, { tenant: 'demo', as: 'customer', text: 'Hello from the browser test' });
    expect(hello.delivered).toBe(true);
    const bridgeUrl = running.service.url;
    const adminToken = running.sandbox.config.server.adminToken!;

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => void problems.push(e.message));

    const response = await page.goto(`${bridgeUrl}/admin?token=${adminToken}`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${bridgeUrl}/admin`);
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
    // The style block is allowed by its CSP hash (a mismatch would leave the page unstyled and log a violation).
    // An expression string: the test is compiled without the DOM library; it runs in the page.
    expect(await page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse")).toBe('collapse');
    expect(problems).toEqual([]);

    const shot = join(shots, 'status-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await context.close();
  });

  test('when an operator clicks a conversation\'s hand-back button, then it goes back to RightNow\'s own agents', async () => {
    const said = await requestSay(running.stateFile, { tenant: 'demo', as: 'customer', text: 'Please give me a human of the old team' });
    expect(said.delivered).toBe(true);
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await page.goto(`${running.service.url}/admin?token=${running.sandbox.config.server.adminToken!}`);

    const row = page.locator('tr', { hasText: said.conversationId! });
    await row.getByRole('button', { name: 'Hand back to rightnow’s agents' }).click();
    await page.waitForURL(`${running.service.url}/admin/hand-back`);
    expect(await page.locator('body').innerText()).toContain(
      `Conversation ${said.conversationId!} was handed back to rightnow's own agents and ended on ${said.expected.platform}.`,
    );
    await page.getByRole('link', { name: 'Back to the status page' }).click();
    expect(await page.locator('h3:has-text("demo") + *').innerText()).not.toContain(said.conversationId!);
    // A form-action or style the CSP blocked would show here.
    expect(problems).toEqual([]);
    await context.close();
  });

  test('when a browser without the session cookie opens /admin, then it is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${running.service.url}/admin`);
    expect(response?.status()).toBe(401);
    expect(await page.locator('body').innerText()).toContain('open /admin?token=<admin token> once in this browser');
    await context.close();
  });
});
