import { livepersonPlatform } from '../../../adapters/liveperson/index.js';

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
