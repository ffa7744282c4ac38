import { z } from 'zod';
import { ConfigError, parseConfig } from '../../../src/config/load.js';
import { AdapterRegistry } from '../../../src/ports/registry.js';
import { RightNowConfigSchema } from '../../../adapters/rightnow/config.js';
import { rightnowAdapter } from '../../../adapters/rightnow/index.js';

describe('rightnow config block', () => {
  const base = { siteUrl: 'https://acme.custhelp.com', username: 'u', password: 'p' };

  it('when agentAccountId is a number or numeric string, then it is kept as the X-AID string with defaults', () => {
    const parsed = RightNowConfigSchema.parse({ ...base, agentAccountId: 12 });
    expect(parsed).toMatchObject({ agentAccountId: '12', applicationContext: 'chatbridge', maxSessionCount: 10, agentJoinedText: '', logonOverride: true });
    expect(RightNowConfigSchema.parse({ ...base, agentAccountId: '12', maxSessions: 3 }).maxSessionCount).toBe(3);
  });

  it('when a key is unknown or required ones are missing, then the schema names them', () => {
    const result = RightNowConfigSchema.safeParse({ siteUrl: 'ftp://x', agentAccountId: 'twelve', colour: 1 });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => (i.path.length ? i.path.join('.') : i.code));
    expect(paths).toEqual(expect.arrayContaining(['siteUrl', 'username', 'password', 'agentAccountId', 'unrecognized_keys']));
  });
});

describe('rightnow in the tenant configuration', () => {
  const agentSide = { platform: 'egain', roles: ['agent'] as const, configSchema: z.object({}), create: () => ({ platform: 'egain', outbound: {} }) };
  const registry = new AdapterRegistry().register(rightnowAdapter).register(agentSide);
  const tenant = (rightnow: Record<string, unknown>, customer = 'rightnow', agent = 'egain') => ({
    tenants: [{ id: 'acme', routes: [{ customer, agents: [{ platform: agent }] }], egain: {}, rightnow }],
  });

  it('when the contract keys are given with env placeholders, then the block validates', () => {
    const config = parseConfig(
      tenant({ siteUrl: 'https://acme.custhelp.com', username: '${RN_USER}', password: '${RN_PASS}', agentAccountId: 12 }),
      registry,
      { RN_USER: 'api', RN_PASS: 'pw' },
    );
    expect(config.tenants[0]!.platforms.rightnow).toMatchObject({ username: 'api', password: 'pw', agentAccountId: '12' });
  });

  it('when rightnow is put on the agent side, then the route is refused with its path', () => {
    const run = () => parseConfig(tenant({ siteUrl: 'https://a.custhelp.com', username: 'u', password: 'p', agentAccountId: 1 }, 'egain', 'rightnow'), registry, {});
    expect(run).toThrow(ConfigError);
    expect(() => run()).toThrow(/routes\[0\]\.agents\[0\]\.platform: rightnow cannot play the agent side/);
  });
});
