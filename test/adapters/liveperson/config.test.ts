import { livepersonPlatform } from '../../../adapters/liveperson/index.js';
import { startLivePersonSimulator } from '../../../adapters/liveperson/simulator/index.js';
import { createLogger } from '../../../src/observability/logger.js';

describe('LivePerson config block', () => {
  const contract = { accountId: '12345678', clientId: 'id', clientSecret: 'secret' };

  it('when only the contract keys are given, then the documented defaults apply', () => {
    expect(livepersonPlatform.configSchema.parse(contract)).toMatchObject({
      ...contract,
      domainApiUrl: 'https://api.liveperson.net',
      skillId: '-1',
      fileSharing: false,
      scheme: 'https',
    });
    expect(livepersonPlatform.roles).toEqual(['agent']);
  });

  it('when campaignId comes without engagementId, then the error names campaignId', () => {
    const parsed = livepersonPlatform.configSchema.safeParse({ ...contract, campaignId: '1' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['campaignId']);
  });

  it('when a key is misspelt or the account id is not a site id, then the block is refused', () => {
    expect(livepersonPlatform.configSchema.safeParse({ ...contract, skillID: '1' }).success).toBe(false);
    expect(livepersonPlatform.configSchema.safeParse({ ...contract, accountId: 'acme' }).success).toBe(false);
  });
});

describe('LivePerson check command', () => {
  it('when the credentials are right, then the domains and the AppJWT expiry are printed, never the token', async () => {
    const sim = await startLivePersonSimulator();
    try {
      const lines: string[] = [];
      const config = livepersonPlatform.configSchema.parse({
        accountId: sim.accountId,
        domainApiUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        scheme: 'http',
      });
      const check = livepersonPlatform.commands!.find((c) => c.name === 'check')!;
      await check.run({ tenantId: 'acme', config, logger: createLogger({ silent: true }), print: (l) => lines.push(l) });
      expect(lines.slice(0, 4)).toEqual(['asyncMessagingEnt', 'sentinel', 'idp', 'swift'].map((s) => `${s}: ${sim.url}`));
      expect(lines[4]).toMatch(/^AppJWT obtained, valid until \d{4}-/);
      expect(lines.join('\n')).not.toMatch(/eyJ/);
    } finally {
      await sim.close();
    }
  });
});
