import YAML from 'yaml';
import { egainAdapter } from '../../../adapters/egain/index.js';

const contract = YAML.parse(`
apiBaseUrl: https://api.egain.cloud/conversation/conversationmgr/v3
tokenUrl: https://auth.egain.test/system/auth/TENANT/oauth2/token
clientId: cid
clientSecret: csecret
callbackAuth: { type: basic, username: hub, password: pw }
`) as Record<string, unknown>;

describe('eGain config block', () => {
  it('when only the public contract keys are given, then it validates with sensible defaults', () => {
    const parsed = egainAdapter.configSchema.parse(contract);
    expect(parsed).toMatchObject({
      scope: 'app.conversation.conversationmgr.interaction.manage',
      agentClientType: 'custom_agent',
      channel: { type: 'custom_chatbridge', restrictions: {} },
      defaultLanguage: 'en-US',
    });
  });

  it('when callbackAuth is a JWT, then exactly one of jwksUrl or secret is required', () => {
    const jwt = { type: 'jwt', issuer: 'https://auth.egain.test', audience: 'chatbridge' };
    expect(egainAdapter.configSchema.safeParse({ ...contract, callbackAuth: { ...jwt, jwksUrl: 'https://auth.egain.test/jwks' } }).success).toBe(true);
    expect(egainAdapter.configSchema.safeParse({ ...contract, callbackAuth: jwt }).success).toBe(false);
    expect(
      egainAdapter.configSchema.safeParse({ ...contract, callbackAuth: { ...jwt, jwksUrl: 'https://a.test/j', secret: 'x'.repeat(32) } }).success,
    ).toBe(false);
  });

  it('when a key is misspelled or the agent client type is not a custom one, then validation names the path', () => {
    const typo = egainAdapter.configSchema.safeParse({ ...contract, clientSecert: 'x' });
    const type = egainAdapter.configSchema.safeParse({ ...contract, agentClientType: 'egain_agent' });
    expect(typo.success || type.success).toBe(false);
    expect(type.error!.issues[0]!.path).toEqual(['agentClientType']);
  });
});
