import { livepersonAdapter } from '../../../adapters/liveperson/index.js';
import { startLivePersonSimulator } from '../../../adapters/liveperson/simulator/index.js';
import { createLogger } from '../../../src/observability/logger.js';

describe('LivePerson config block', () => {
  const contract = { accountId: '12345678', clientId: 'id', clientSecret: 'secret' };

  it('when only the contract keys are given, then the documented defaults apply', () => {
    expect(livepersonAdapter.configSchema.parse(contract)).toMatchObject({
      ...contract,
      domainApiUrl: 'https://api.liveperson.net',
      skillId: '-1',
      fileSharing: false,
      scheme: 'https',
    });
    expect(livepersonAdapter.roles).toEqual(['agent']);
  });

  it('when campaignId comes without engagementId, then the error names campaignId', () => {
    const parsed = livepersonAdapter.configSchema.safeParse({ ...contract, campaignId: '1' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['campaignId']);
  });

  it('when a key is misspelt or the account id is not a site id, then the block is refused', () => {
    expect(livepersonAdapter.configSchema.safeParse({ ...contract, skillID: '1' }).success).toBe(false);
    expect(livepersonAdapter.configSchema.safeParse({ ...contract, accountId: 'acme' }).success).toBe(false);
  });
});

describe('LivePerson check command', () => {
  it('when the credentials are right, then the domains and the AppJWT expiry are printed, never the token', async () => {
    const sim = await startLivePersonSimulator();
    try {
      const lines: string[] = [];
      const config = livepersonAdapter.configSchema.parse({
        accountId: sim.accountId,
        domainApiUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        scheme: 'http',
      });
      const check = livepersonAdapter.commands!.find((c) => c.name === 'check')!;
      const passed = await check.run({ tenantId: 'acme', config, logger: createLogger({ silent: true }), print: (l) => lines.push(l) });
      expect(passed).toBe(true);
      expect(lines[0]).toBe(`OK    domains: ${['asyncMessagingEnt', 'sentinel', 'idp', 'swift'].map((s) => `${s} ${sim.url}`).join(', ')}`);
      expect(lines[1]).toMatch(/^OK {4}AppJWT: valid until \d{4}-/);
      expect(lines[2]).toMatch(/^OK {4}webhook signing: reproduces LivePerson's published example/);
      expect(lines[3]).toContain('/webhooks/acme/liveperson: ms.MessagingEventNotification.ContentEvent');
      expect(lines[3]).toContain('cqm.ExConversationChangeNotification');
      expect(lines.at(-1)).toBe('all checks passed');
      expect(lines.join('\n')).not.toMatch(/eyJ|secret-/);
    } finally {
      await sim.close();
    }
  });

  it('when the client secret is wrong, then the AppJWT step fails with what to do, later steps are skipped, and it reports failure', async () => {
    const sim = await startLivePersonSimulator();
    try {
      const lines: string[] = [];
      const config = livepersonAdapter.configSchema.parse({
        accountId: sim.accountId,
        domainApiUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: 'not-the-secret-0000',
        scheme: 'http',
      });
      const check = livepersonAdapter.commands!.find((c) => c.name === 'check')!;
      expect(await check.run({ tenantId: 'acme', config, logger: createLogger({ silent: true }), print: (l) => lines.push(l) })).toBe(false);
      expect(lines[0]).toMatch(/^OK {4}domains/);
      expect(lines[1]).toMatch(/^FAIL {2}AppJWT: /);
      expect(lines[2]).toContain('what to do: check liveperson.clientId and clientSecret');
      expect(lines[3]).toBe('SKIP  webhook signing: needs "AppJWT"');
      expect(lines.at(-1)).toBe('check failed at "AppJWT"');
      expect(lines.join('\n')).not.toContain('not-the-secret-0000');
    } finally {
      await sim.close();
    }
  });
});
