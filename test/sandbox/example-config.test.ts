import { ConfigError, loadConfig } from '../../src/config/load.js';
import { createRegistry } from '../../src/platforms.js';

/** config/example.yaml is what an operator copies: it must pass `chatbridge validate-config` (which is loadConfig). */
const EXAMPLE = new URL('../../config/example.yaml', import.meta.url).pathname;
const SECRETS = {
  CHATBRIDGE_ADMIN_TOKEN: 'an-admin-token-of-some-length',
  ACME_RN_USER: 'rn-user',
  ACME_RN_PASSWORD: 'rn-password',
  ACME_LP_CLIENT_ID: 'lp-client',
  ACME_LP_CLIENT_SECRET: 'lp-secret',
  ACME_EGAIN_CLIENT_ID: 'egain-client',
  ACME_EGAIN_CLIENT_SECRET: 'egain-secret',
  ACME_EGAIN_CB_USER: 'hub',
  ACME_EGAIN_CB_PASS: 'hub-password',
};

describe('config/example.yaml', () => {
  test('when every secret is in the environment, then it validates as a Redis-backed tenant on all three platforms', () => {
    const config = loadConfig(EXAMPLE, createRegistry(), SECRETS);
    expect(config.store.kind).toBe('redis');
    expect(config.server.adminToken).toBe(SECRETS.CHATBRIDGE_ADMIN_TOKEN);
    const [acme] = config.tenants;
    expect(Object.keys(acme!.platforms).sort()).toEqual(['egain', 'liveperson', 'rightnow']);
    expect(acme!.routes).toEqual([
      { customer: 'rightnow', agents: [{ platform: 'liveperson', weight: 90 }, { platform: 'egain', weight: 10 }] },
    ]);
    expect(acme!.platforms.egain).toMatchObject({ clientSecret: 'egain-secret', callbackAuth: { password: 'hub-password' } });
  });

  test('when the secrets are not set, then the error names every missing variable at its path', () => {
    let error: unknown;
    try {
      loadConfig(EXAMPLE, createRegistry(), { ACME_RN_USER: 'rn-user' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of Object.keys(SECRETS).filter((n) => n !== 'ACME_RN_USER')) {
      expect(message).toContain(`environment variable ${name} is not set`);
    }
    expect(message).not.toContain('ACME_RN_USER is not set');
    expect(message).toContain('tenants[0].egain.callbackAuth.password');
  });
});
