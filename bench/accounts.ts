/**
 * The simulated vendor accounts of the benchmark. They guard nothing but simulators on loopback; the
 * bridge reads the secrets from its environment (`${...}` in its configuration), as in production.
 */
export const TENANT = 'bench';
export const LIVEPERSON = { accountId: '12345678', clientId: 'bench-connector', clientSecret: 'bench-connector-secret' };
export const RIGHTNOW = { username: 'bench-api-user', password: 'bench-api-password', agentAccountId: 12 };
export const EGAIN = { clientId: 'bench-bridge', clientSecret: 'bench-bridge-secret' };
export const EGAIN_CALLBACK = { type: 'basic' as const, username: 'bench-hub', password: 'bench-hub-password' };
export const EGAIN_CHANNEL = 'custom_chatbridge';
