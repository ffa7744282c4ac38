import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { healthcheckUrl } from '../../src/cli/healthcheck-url.js';
import { parseDockerfile, readRepoFile, repoRoot } from '../support/deploy-files.js';

/**
 * The Dockerfile, checked without a Docker daemon (this machine has none): a supported Node LTS pinned by
 * exact version (the one CI runs the suite on), a runtime stage with the service only, a non-root user, and a
 * healthcheck that works whatever server.host says. test/deploy/readme-production.test.ts runs the image's
 * commands (CMD, HEALTHCHECK) against a real bridge.
 */

const stages = parseDockerfile(readRepoFile('Dockerfile'));
const runtime = stages[stages.length - 1]!;

describe('Dockerfile', () => {
  it('builds and runs on one supported Node LTS, pinned by exact version, the one CI tests on', () => {
    const version = /^node:(\d+)\.(\d+)\.(\d+)-bookworm-slim$/.exec(runtime.from);
    expect(version).not.toBeNull();
    expect(['22', '24']).toContain(version![1]);
    expect(stages.map((s) => s.from)).toEqual([runtime.from, runtime.from]);
    const ciVersion = /^LTS_NODE_VERSION=(\S+)$/m.exec(readRepoFile('.ci/run'))?.[1];
    expect(ciVersion).toBe(version!.slice(1).join('.'));
    const engines = (JSON.parse(readRepoFile('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(/^>=(22|24)\./);
  });

  it('ships the compiled service and adapters only: no benchmark, tests or sources', () => {
    const fromBuild = runtime.copies.filter((c) => c.startsWith('--from=build'));
    expect(fromBuild).toEqual(['--from=build /app/dist/src ./dist/src', '--from=build /app/dist/adapters ./dist/adapters']);
    expect(runtime.copies.join('\n')).not.toMatch(/bench|test|\. \.$/);
  });

  it('runs as a numeric non-root user, the production config path and port, the start command', () => {
    expect(runtime.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(runtime.env).toEqual(expect.objectContaining({ NODE_ENV: 'production', PORT: '8080', CHATBRIDGE_CONFIG: '/etc/chatbridge' }));
    expect(runtime.cmd).toEqual(['node', 'dist/src/cli/main.js', 'start']);
  });

  it('has a healthcheck script that exists in the compiled output', () => {
    expect(runtime.healthcheck).toEqual(['node', 'dist/src/cli/healthcheck.js']);
    expect(existsSync(path.join(repoRoot, 'src/cli/healthcheck.ts'))).toBe(true);
  });
});

describe('healthcheckUrl (the address the container healthcheck asks)', () => {
  const configFile = (name: string) => path.join(repoRoot, name);

  it('asks the loopback address when the server listens on every interface, on PORT', () => {
    expect(healthcheckUrl(configFile('config/example.yaml'), { PORT: '8080' })).toBe('http://127.0.0.1:8080/healthz');
  });

  it('takes server.port when PORT is not set, and 8080 with no configuration at all', () => {
    expect(healthcheckUrl(configFile('config/example.yaml'), {})).toBe('http://127.0.0.1:8080/healthz');
    expect(healthcheckUrl(undefined, {})).toBe('http://127.0.0.1:8080/healthz');
  });

  it('asks a specific server.host on itself (IPv6 in brackets), since loopback would not answer', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cb-healthcheck-'));
    const write = (name: string, yaml: string) => {
      writeFileSync(path.join(dir, name), yaml);
      return path.join(dir, name);
    };
    expect(healthcheckUrl(write('v4.yaml', 'server:\n  host: 10.1.2.3\n  port: 9000\n'), {})).toBe('http://10.1.2.3:9000/healthz');
    expect(healthcheckUrl(write('v6.yaml', 'server:\n  host: "::1"\n'), { PORT: '9001' })).toBe('http://[::1]:9001/healthz');
    expect(healthcheckUrl(write('any6.yaml', 'server:\n  host: "::"\n'), { PORT: '9002' })).toBe('http://127.0.0.1:9002/healthz');
    expect(healthcheckUrl(write('env.yaml', 'server:\n  host: ${BIND}\n'), { BIND: '192.0.2.7' })).toBe('http://192.0.2.7:8080/healthz');
    rmSync(dir, { recursive: true, force: true });
  });
});
