import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, type ConfigProblem, loadConfig } from '../../src/config/load.js';
import { createTestRegistry } from '../support/test-platform.js';

const { registry } = createTestRegistry();
const SECRET = 'Sup3r-s3cret-value';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'chatbridge-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the files into the test's folder and returns the path of the first one. */
function write(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return path.join(dir, Object.keys(files)[0]!);
}

function tenant(id: string, body = '    alpha: { apiKey: a-key }\n    beta: { apiKey: b-key }\n'): string {
  return `  - id: ${id}\n    routes:\n      - customer: alpha\n        agents: [{ platform: beta }]\n${body}`;
}

/** The problems a load reports, after checking that no secret leaked into the message. */
function problemsOf(source: string, env: NodeJS.ProcessEnv = {}): ConfigProblem[] {
  try {
    loadConfig(source, registry, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).not.toContain(SECRET);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('when delivery.maxQueueDepth is not set, then memory mode stops at 20,000 queued events and Redis mode at 100,000', () => {
    const depth = (yaml: string) => loadConfig(write({ 'c.yaml': `${yaml}tenants:\n${tenant('acme')}` }), registry, {}).delivery.maxQueueDepth;
    expect(depth('')).toBe(20_000);
    expect(depth('store:\n  kind: redis\n')).toBe(100_000);
    expect(depth('delivery:\n  maxQueueDepth: 50000\n')).toBe(50_000);
  });

  it('when store.cluster lists node URLs, then the store points at them and has no url; with url or REDIS_URL as well it is refused', () => {
    const store = 'store:\n  kind: redis\n  cluster: [redis://10.0.0.1:7000, redis://10.0.0.2:7000]\n';
    const config = loadConfig(write({ 'c.yaml': `${store}tenants:\n${tenant('acme')}` }), registry, {});
    expect(config.store).toMatchObject({ kind: 'redis', cluster: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'] });
    expect(config.store.url).toBeUndefined();

    const refusal = {
      path: 'store.cluster',
      problem: 'set either url (one Redis endpoint; REDIS_URL sets it too) or cluster (Redis Cluster node URLs), not both',
    };
    expect(problemsOf(write({ 'c.yaml': `${store}  url: redis://10.0.0.1:6379\ntenants:\n${tenant('acme')}` }))).toEqual([refusal]);
    expect(problemsOf(write({ 'c.yaml': `${store}tenants:\n${tenant('acme')}` }), { REDIS_URL: 'redis://10.0.0.1:6379' })).toEqual([refusal]);
    expect(problemsOf(write({ 'c.yaml': `store:\n  cluster: [10.0.0.1:7000]\ntenants:\n${tenant('acme')}` }))).toEqual([
      { path: 'store.cluster[0]', problem: 'a redis:// or rediss:// URL' },
    ]);
  });

  it('when headersTimeoutMs is above requestTimeoutMs, then the configuration is refused naming the key', () => {
    const source = write({ 'c.yaml': `server:\n  headersTimeoutMs: 5000\n  requestTimeoutMs: 1000\ntenants:\n${tenant('acme')}` });
    expect(problemsOf(source)).toEqual([{ path: 'server.headersTimeoutMs', problem: 'headersTimeoutMs must not be above requestTimeoutMs' }]);
  });

  it('when only tenants are given, then the embedded defaults fill the rest', () => {
    const config = loadConfig(write({ 'c.yaml': `tenants:\n${tenant('acme')}` }), registry, {});
    expect(config.server).toEqual({
      port: 8080,
      host: '0.0.0.0',
      bodyLimit: '1mb',
      fileLinks: { ttlSeconds: 604_800 },
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxConnections: 10_000,
      ingestTimeoutMs: 2000,
    });
    expect(config.store).toEqual({ kind: 'memory', url: 'redis://127.0.0.1:6379', keyPrefix: 'cb:', maxEntries: 500_000, mappingTtlSeconds: 2_592_000 });
    expect(config.delivery).toMatchObject({
      concurrency: 32,
      retryFor: 6 * 3_600_000,
      breaker: { failures: 5, openMs: 2000, maxOpenMs: 60_000 },
      leaseMs: 15_000,
      partitions: 16,
      maxQueueDepth: 20_000,
    });
    expect(config.delivery).not.toHaveProperty('maxAttempts');
    expect(config.logging).toEqual({ level: 'info' });
    expect(config.tenants).toEqual([
      {
        id: 'acme',
        routes: [{ customer: 'alpha', agents: [{ platform: 'beta', weight: 100 }] }],
        agentJoinedText: undefined,
        platforms: { alpha: { apiKey: 'a-key' }, beta: { apiKey: 'b-key' } },
      },
    ]);
  });

  it('when values hold ${VAR} placeholders, then they are replaced from the environment', () => {
    const body = '    alpha: { apiKey: "${ALPHA_KEY}", url: "https://${ALPHA_HOST}/v1" }\n    beta: { apiKey: "${BETA_KEY}" }\n';
    const config = loadConfig(write({ 'c.yaml': `tenants:\n${tenant('acme', body)}` }), registry, {
      ALPHA_KEY: SECRET,
      ALPHA_HOST: 'alpha.example',
      BETA_KEY: '$literal$',
    });
    expect(config.tenants[0]?.platforms).toEqual({
      alpha: { apiKey: SECRET, url: 'https://alpha.example/v1' },
      beta: { apiKey: '$literal$' },
    });
  });

  it('when a variable is not set, then the problem names its exact path and variable', () => {
    const body = '    alpha: { apiKey: "${ALPHA_KEY}" }\n    beta: { apiKey: b }\n';
    const source = write({ 'c.yaml': `tenants:\n${tenant('acme', body)}` });
    expect(problemsOf(source)).toEqual([{ path: 'tenants[0].alpha.apiKey', problem: 'environment variable ALPHA_KEY is not set' }]);
    expect(() => loadConfig(source, registry, {})).toThrow('tenants[0].alpha.apiKey: environment variable ALPHA_KEY is not set');
  });

  it('when an unset variable stands where the schema wants a URL, then it is reported once, as unset', () => {
    const body = '    alpha: { apiKey: a, url: "${ALPHA_URL}" }\n    beta: { apiKey: b }\n';
    const source = write({ 'c.yaml': `tenants:\n${tenant('acme', body)}` });
    expect(problemsOf(source)).toEqual([{ path: 'tenants[0].alpha.url', problem: 'environment variable ALPHA_URL is not set' }]);
  });

  it('when a key is misspelt, then the problem suggests the known key it resembles', () => {
    const body = '    alpha: { apiKye: a }\n    beta: { apiKey: b }\n    betta: { apiKey: c }\n';
    const source = write({ 'c.yaml': `server: { prot: 9000, colour: red }\ntenants:\n${tenant('acme', body)}` });
    expect(problemsOf(source)).toEqual([
      { path: 'server', problem: 'unknown keys prot (did you mean port?), colour' },
      { path: 'tenants[0].alpha.apiKey', problem: 'required' },
      { path: 'tenants[0].alpha', problem: 'unknown key apiKye (did you mean apiKey?)' },
      { path: 'tenants[0].betta', problem: 'unknown platform (did you mean beta?) (known: alpha, beta)' },
    ]);
  });

  it('when a key inside a route is misspelt, then the route names it with the known key', () => {
    const source = write({
      'c.yaml': 'tenants:\n  - id: acme\n    routes:\n      - customer: alpha\n        agent: [{ platform: beta }]\n    alpha: { apiKey: a }\n    beta: { apiKey: b }\n',
    });
    expect(problemsOf(source)).toContainEqual({ path: 'tenants[0].routes[0]', problem: 'unknown key agent (did you mean agents?)' });
  });

  it('when a file of a folder holds the problem, then the problem names that file', () => {
    write({
      '10-acme.yaml': `server: { port: 9000 }\ntenants:\n${tenant('acme')}`,
      '20-globex.yaml': `store: { kind: nowhere }\ntenants:\n${tenant('globex', '    alpha: { apiKey: a }\n    beta: {}\n')}`,
    });
    const problems = problemsOf(dir);
    expect(problems).toEqual([
      expect.objectContaining({ path: 'store.kind', file: path.join(dir, '20-globex.yaml') }),
      { path: 'tenants[1].beta.apiKey', problem: 'required', file: path.join(dir, '20-globex.yaml') },
    ]);
    expect(() => loadConfig(dir, registry, {})).toThrow(`tenants[1].beta.apiKey: required (in ${path.join(dir, '20-globex.yaml')})`);
  });

  it('when a substituted secret fails validation, then the error never prints the secret', () => {
    const body = '    alpha: { apiKey: a, url: "${ALPHA_URL}" }\n    beta: { apiKey: b }\n';
    const source = write({ 'c.yaml': `server:\n  adminToken: "\${ADMIN}"\ntenants:\n${tenant('acme', body)}` });
    const problems = problemsOf(source, { ALPHA_URL: `not a url ${SECRET}`, ADMIN: SECRET.slice(0, 8) });
    expect(problems.map((p) => p.path)).toEqual(['server.adminToken', 'tenants[0].alpha.url']);
    expect(JSON.stringify(problems)).not.toContain(SECRET.slice(0, 8));
  });

  it('when server.fileLinks is given, then its keys are read, and a short secret or a URL with a query is refused by path', () => {
    const good = write({ 'c.yaml': `server:
  fileLinks: { secret: "\${LINKS}", ttlSeconds: 3600, publicUrl: https://chat.example.com/bridge }
tenants:
${tenant('acme')}` });
    expect(loadConfig(good, registry, { LINKS: SECRET.padEnd(32, 'x') }).server.fileLinks).toEqual({
      secret: SECRET.padEnd(32, 'x'),
      ttlSeconds: 3600,
      publicUrl: 'https://chat.example.com/bridge',
    });
    const bad = write({ 'c.yaml': `server:
  fileLinks: { secret: "\${LINKS}", publicUrl: "https://chat.example.com/?x=1" }
tenants:
${tenant('acme')}` });
    expect(problemsOf(bad, { LINKS: SECRET.slice(0, 8) }).map((p) => p.path)).toEqual(['server.fileLinks.secret', 'server.fileLinks.publicUrl']);
  });

  it('when the source is a folder, then its YAML files are read in name order and tenants concatenated', () => {
    write({
      '20-globex.yml': `tenants:\n${tenant('globex')}`,
      '10-acme.yaml': `server: { port: 9000 }\ntenants:\n${tenant('acme')}`,
      'notes.txt': 'not: [yaml',
    });
    const config = loadConfig(dir, registry, {});
    expect(config.tenants.map((t) => t.id)).toEqual(['acme', 'globex']);
    expect(config.server.port).toBe(9000);
  });

  it('when a tenant has a block for an unregistered platform, then it is reported', () => {
    const source = write({ 'c.yaml': `tenants:\n${tenant('acme', '    alpha: { apiKey: a }\n    beta: { apiKey: b }\n    gamma: { apiKey: g }\n')}` });
    expect(problemsOf(source)).toEqual([{ path: 'tenants[0].gamma', problem: 'unknown platform (known: alpha, beta)' }]);
  });

  it('when a platform block misses a required key, then the path ends in that key', () => {
    const source = write({ 'c.yaml': `tenants:\n${tenant('acme')}${tenant('globex', '    alpha: { apiKey: a }\n    beta: { url: "https://b.example" }\n')}` });
    expect(problemsOf(source)).toEqual([{ path: 'tenants[1].beta.apiKey', problem: 'required' }]);
  });

  it('when a route puts a platform on a side it cannot play, then the route is refused', () => {
    const yaml = 'tenants:\n  - id: acme\n    routes:\n      - customer: beta\n        agents: [{ platform: alpha }]\n    alpha: { apiKey: a }\n    beta: { apiKey: b }\n';
    expect(problemsOf(write({ 'c.yaml': yaml }))).toEqual([
      { path: 'tenants[0].routes[0].customer', problem: 'beta cannot play the customer side (it supports: agent)' },
      { path: 'tenants[0].routes[0].agents[0].platform', problem: 'alpha cannot play the agent side (it supports: customer)' },
    ]);
  });

  it('when a route names a platform the tenant has no block for, then the route is refused', () => {
    const source = write({ 'c.yaml': `tenants:\n${tenant('acme', '    alpha: { apiKey: a }\n')}` });
    expect(problemsOf(source)).toEqual([{ path: 'tenants[0].routes[0].agents[0].platform', problem: 'the tenant has no beta block' }]);
  });

  it('when every agent platform of a route has weight 0, then the route is refused', () => {
    const yaml = `tenants:\n${tenant('acme')}`.replace('{ platform: beta }', '{ platform: beta, weight: 0 }');
    expect(problemsOf(write({ 'c.yaml': yaml }))).toEqual([
      { path: 'tenants[0].routes[0].agents', problem: 'at least one agent platform needs a weight above 0' },
    ]);
  });

  it('when two tenants share an id, then the second one is reported', () => {
    const source = write({ 'c.yaml': `tenants:\n${tenant('acme')}${tenant('acme')}` });
    expect(problemsOf(source)).toEqual([{ path: 'tenants[1].id', problem: 'duplicate tenant id acme' }]);
  });

  it('when PORT and REDIS_URL are set, then they win over the file', () => {
    const source = write({ 'c.yaml': `server: { port: 9000 }\nstore: { kind: redis, url: "redis://file:6379" }\ntenants:\n${tenant('acme')}` });
    const config = loadConfig(source, registry, { PORT: '7000', REDIS_URL: 'redis://env:6379' });
    expect(config.server.port).toBe(7000);
    expect(config.store).toMatchObject({ kind: 'redis', url: 'redis://env:6379' });
    expect(loadConfig(source, registry, { PORT: '' }).server.port).toBe(9000);
    expect(problemsOf(source, { PORT: 'eighty' }).map((p) => p.path)).toEqual(['server.port']);
  });

  it('when delivery.retryFor is a duration, then it is read as milliseconds; a bad one and the removed maxAttempts are refused saying why', () => {
    const good = write({ 'c.yaml': `delivery: { retryFor: 90m }\ntenants:\n${tenant('acme')}` });
    expect(loadConfig(good, registry, {}).delivery.retryFor).toBe(90 * 60_000);
    const old = write({ 'old.yaml': `delivery: { maxAttempts: 8, retryFor: soon }\ntenants:\n${tenant('acme')}` });
    expect(problemsOf(old)).toEqual([
      { path: 'delivery.retryFor', problem: 'a duration such as 90s, 30m or 6h' },
      { path: 'delivery.maxAttempts', problem: expect.stringMatching(/^removed: .*delivery\.retryFor/) },
    ]);
  });

  it('when a file is not valid YAML, then the problem names the file', () => {
    const source = write({ 'broken.yaml': 'tenants:\n  - id: [acme\n' });
    const [problem, ...rest] = problemsOf(source);
    expect(rest).toEqual([]);
    expect(problem).toEqual({ path: source, problem: expect.stringMatching(/^YAML syntax: .*at line 3, column 1$/) });
  });

  it('when one file of a folder is not valid YAML, then the problem names that file, not the folder', () => {
    write({ '10-good.yaml': `tenants:\n${tenant('acme')}`, '20-bad.yaml': 'tenants: [\n' });
    expect(problemsOf(dir)).toEqual([{ path: path.join(dir, '20-bad.yaml'), problem: expect.stringMatching(/^YAML syntax: /) }]);
  });

  it('when the source does not exist, then the problem names it', () => {
    const missing = path.join(dir, 'nope.yaml');
    expect(problemsOf(missing)).toEqual([{ path: missing, problem: expect.stringContaining('no such file') }]);
  });

  it('when several things are wrong, then every problem is reported at once', () => {
    const second = tenant('acme', '    alpha: { apiKey: "${MISSING}" }\n    beta: {}\n    gamma: {}\n').replace('{ platform: beta }', '{ platform: beta, weight: 0 }');
    const source = write({ 'c.yaml': `logging: { level: loud }\ntenants:\n${tenant('acme')}${second}` });
    expect(problemsOf(source)).toEqual([
      { path: 'tenants[1].alpha.apiKey', problem: 'environment variable MISSING is not set' },
      { path: 'logging.level', problem: expect.stringContaining('expected one of') },
      { path: 'tenants[1].id', problem: 'duplicate tenant id acme' },
      { path: 'tenants[1].beta.apiKey', problem: 'required' },
      { path: 'tenants[1].gamma', problem: 'unknown platform (known: alpha, beta)' },
      { path: 'tenants[1].routes[0].agents', problem: 'at least one agent platform needs a weight above 0' },
    ]);
  });
});

describe('the design contract example', () => {
  it('when ${ENV} placeholders stand inside a YAML flow mapping, then they are read like any other', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadConfig } = await import('../../src/config/load.js');
    const { createRegistry } = await import('../../src/composition-root.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'cb-contract-'));
    const file = path.join(dir, 'contract.yaml');
    writeFileSync(
      file,
      [
        'tenants:',
        '  - id: acme',
        '    routes:',
        '      - customer: rightnow',
        '        agents: [{ platform: egain, weight: 100 }]',
        '    egain:',
        '      apiBaseUrl: https://api.egain.cloud/conversation/conversationmgr/v3',
        '      tokenUrl: https://auth.example/oauth2/token',
        '      clientId: ${ACME_EGAIN_CLIENT_ID}',
        '      clientSecret: ${ACME_EGAIN_CLIENT_SECRET}',
        '      callbackAuth: { type: basic, username: ${ACME_EGAIN_CB_USER}, password: ${ACME_EGAIN_CB_PASS} }',
        '      account: { address: "acct", entryPointId: "ep" }',
        '    rightnow:',
        '      siteUrl: https://acme.custhelp.com',
        '      username: ${ACME_RN_USER}',
        '      password: ${ACME_RN_PASSWORD}',
        '      agentAccountId: 12',
      ].join('\n'),
    );
    const env = {
      ACME_EGAIN_CLIENT_ID: 'id',
      ACME_EGAIN_CLIENT_SECRET: 'secret',
      ACME_EGAIN_CB_USER: 'hub',
      ACME_EGAIN_CB_PASS: 'hub-pass',
      ACME_RN_USER: 'rn',
      ACME_RN_PASSWORD: 'rn-pass',
    };
    const config = loadConfig(file, createRegistry(), env);
    expect(config.tenants[0]!.platforms.egain).toMatchObject({ callbackAuth: { type: 'basic', username: 'hub', password: 'hub-pass' } });
    expect(() => loadConfig(file, createRegistry(), { ...env, ACME_EGAIN_CB_PASS: undefined })).toThrow(
      'tenants[0].egain.callbackAuth.password: environment variable ACME_EGAIN_CB_PASS is not set',
    );
  });
});

/** Minimal valid platform blocks for the route-level checks below. */
const rightnow = { siteUrl: 'https://acme.custhelp.com', username: 'u', password: 'p', agentAccountId: 1 };
const liveperson = { accountId: '1', clientId: 'c', clientSecret: 's' };
const egain = {
  apiBaseUrl: 'https://egain.example/v3',
  tokenUrl: 'https://egain.example/token',
  clientId: 'id',
  clientSecret: 'secret',
  callbackAuth: { type: 'basic', username: 'u', password: 'p' },
};

describe('side-specific requirements', () => {
  it('when eGain is an agent side without an account block, then the loader names the missing key', async () => {
    const { parseConfig } = await import('../../src/config/load.js');
    const { createRegistry } = await import('../../src/composition-root.js');
    const raw = { tenants: [{ id: 'acme', routes: [{ customer: 'rightnow', agents: [{ platform: 'egain', weight: 1 }] }], egain, rightnow }] };
    expect(() => parseConfig(raw, createRegistry(), {})).toThrow('tenants[0].egain.account: required (needed as the agent side, tenants[0].routes[0].agents[0].platform)');
    const asCustomer = { tenants: [{ id: 'acme', routes: [{ customer: 'egain', agents: [{ platform: 'liveperson', weight: 1 }] }], egain, liveperson }] };
    expect(() => parseConfig(asCustomer, createRegistry(), {})).not.toThrow();
  });
});

describe('the native share (a route\'s customer platform among its agents)', () => {

  it('when RightNow or eGain names itself among its route\'s agents, then the split is accepted with its weights', async () => {
    const { parseConfig } = await import('../../src/config/load.js');
    const { createRegistry } = await import('../../src/composition-root.js');
    const agents = [{ platform: 'rightnow', weight: 95 }, { platform: 'liveperson', weight: 5 }];
    const config = parseConfig({ tenants: [{ id: 'acme', routes: [{ customer: 'rightnow', agents }], rightnow, liveperson }] }, createRegistry(), {});
    expect(config.tenants[0]!.routes[0]!.agents).toEqual(agents);
    const rollBack = [{ platform: 'egain', weight: 100 }, { platform: 'liveperson', weight: 0 }];
    expect(() => parseConfig({ tenants: [{ id: 'beta', routes: [{ customer: 'egain', agents: rollBack }], egain, liveperson }] }, createRegistry(), {})).not.toThrow();
  });

  it('when a customer-only platform is named among another platform\'s agents, then the refusal says where it may be named', async () => {
    const { parseConfig } = await import('../../src/config/load.js');
    const { createRegistry } = await import('../../src/composition-root.js');
    const raw = { tenants: [{ id: 'acme', routes: [{ customer: 'egain', agents: [{ platform: 'rightnow' }] }], egain, rightnow }] };
    expect(() => parseConfig(raw, createRegistry(), {})).toThrow(
      'tenants[0].routes[0].agents[0].platform: rightnow cannot play the agent side (it supports: customer); it may be named among the agents of its own route only, as its native share',
    );
  });

  it('when the customer platform cannot hand conversations to its own agents, then naming it among the agents is refused', () => {
    const yaml = `tenants:\n${tenant('acme')}`.replace('{ platform: beta }', '{ platform: alpha, weight: 95 }, { platform: beta, weight: 5 }');
    expect(problemsOf(write({ 'c.yaml': yaml }))).toEqual([
      {
        path: 'tenants[0].routes[0].agents[0].platform',
        problem: "alpha is this route's customer platform: as an agent entry it would leave that share to alpha's own agents, which its adapter cannot do (no handToNativeAgents capability)",
      },
    ]);
  });
});
