import { RightNowConfigSchema } from '../../../adapters/rightnow/config.js';
import { rightnowAdapter } from '../../../adapters/rightnow/index.js';
import { type RightNowSimulator, startRightNowSimulator } from '../../../adapters/rightnow/simulator/index.js';
import { createLogger } from '../../../src/observability/logger.js';

const USER = { username: 'rn-api-user', password: 'rn-api-password-77' };

describe('chatbridge rightnow check', () => {
  let sim: RightNowSimulator;
  beforeEach(async () => {
    sim = await startRightNowSimulator({ ...USER, agentAccountId: 12, pollHoldMs: 200 });
  });
  afterEach(() => sim.close());

  const check = async (overrides: Record<string, unknown> = {}, flags: Record<string, boolean> = {}) => {
    const lines: string[] = [];
    const config = RightNowConfigSchema.parse({ siteUrl: sim.url, ...USER, agentAccountId: 12, requestTimeoutMs: 2000, ...overrides });
    const command = rightnowAdapter.commands!.find((c) => c.name === 'check')!;
    const passed = await command.run({ tenantId: 'acme', config, flags, logger: createLogger({ silent: true }), print: (l) => lines.push(l) });
    return { passed, lines, text: lines.join('\n') };
  };
  const logonBodies = () => sim.requests.filter((r) => r.operation === 'createAutomatedAgentSession').map((r) => r.body);

  it('when everything is right, then each step is OK, the session is opened without logonOverride and logged off, and no secret is printed', async () => {
    const { passed, lines, text } = await check();
    expect(passed).toBe(true);
    expect(lines.slice(0, 5).map((l) => l.slice(0, 6).trim() + ' ' + l.slice(6).split(':')[0])).toEqual([
      'OK service settings',
      'OK agent token',
      'OK agent session',
      'OK getMessages',
      'OK logoff',
    ]);
    expect(lines[5]).toBe('all checks passed');
    expect(lines[0]).toContain(`chat server ${sim.url}`);
    expect(lines[2]).toContain('without logonOverride');
    expect(logonBodies()).toEqual([expect.objectContaining({ logonOverride: false })]);
    expect(sim.count('logoff')).toBe(1);
    const sessionIds = sim.sessionIds();
    for (const secret of [USER.password, 'eyJ', ...sessionIds]) expect(text).not.toContain(secret);
  });

  it('when --override is given, then the session is opened with logonOverride and the output says what that ends', async () => {
    const { passed, lines } = await check({}, { override: true });
    expect(passed).toBe(true);
    expect(lines[2]).toContain('any other session of this agent account was ended');
    expect(logonBodies()).toEqual([expect.objectContaining({ logonOverride: true })]);
  });

  it('when the API user password is wrong, then service settings fail with what to do and nothing else is tried', async () => {
    const { passed, lines, text } = await check({ password: 'wrong-password-00' });
    expect(passed).toBe(false);
    expect(lines[0]).toMatch(/^FAIL {2}service settings: rightnow serviceSettings answered 401/);
    expect(lines[1]).toContain('what to do: check rightnow.username and password');
    expect(lines.slice(2)).toEqual([
      'SKIP  agent token: needs "service settings"',
      'SKIP  agent session: needs "service settings"',
      'SKIP  getMessages: needs "service settings"',
      'SKIP  logoff: needs "service settings"',
      'check failed at "service settings"',
    ]);
    expect(text).not.toContain('wrong-password-00');
    expect(sim.count('createAutomatedAgentSession')).toBe(0);
  });

  it('when the poll is refused, then getMessages fails, and the session it opened is still logged off', async () => {
    sim.failNext('getMessages', 'ACCESS_DENIED');
    const { passed, lines } = await check();
    expect(passed).toBe(false);
    expect(lines[3]).toMatch(/^FAIL {2}getMessages: /);
    expect(lines[5]).toMatch(/^OK {4}logoff/);
    expect(lines.at(-1)).toBe('check failed at "getMessages"');
    expect(sim.count('logoff')).toBe(1);
  });
});
