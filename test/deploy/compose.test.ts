import { existsSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { configVariables, exampleDrainTimeoutSeconds, parseEnvFile, readRepoFile, repoRoot } from '../support/deploy-files.js';

/**
 * deploy/compose.yaml and deploy/chatbridge.env.example, checked without a Docker daemon (this machine's
 * docker client has no compose plugin; .ci/run also runs `docker compose config` where one exists): every
 * file and folder it references exists, the env template sets and documents every ${NAME} of
 * config/example.yaml, Redis persists, both services have healthchecks and restart policies.
 */

const deployDir = path.join(repoRoot, 'deploy');
const compose = YAML.parse(readRepoFile('deploy/compose.yaml'));
const envTemplate = readRepoFile('deploy/chatbridge.env.example');
const { chatbridge, redis } = compose.services;

const durationSeconds = (value: string): number => {
  const match = /^(\d+)(s|m)$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
};

describe('deploy/compose.yaml', () => {
  it('builds the repository Dockerfile and mounts config/ where the image reads it', () => {
    const context = path.resolve(deployDir, chatbridge.build.context);
    expect(existsSync(path.join(context, chatbridge.build.dockerfile))).toBe(true);
    const [source, target, mode] = (chatbridge.volumes[0] as string).split(':');
    expect(existsSync(path.resolve(deployDir, source!))).toBe(true);
    expect(path.resolve(deployDir, source!)).toBe(path.join(repoRoot, 'config'));
    expect([target, mode]).toEqual(['/etc/chatbridge', 'ro']);
  });

  it('reads the operator env file made from the documented template, and points the bridge at its Redis', () => {
    expect(chatbridge.env_file).toEqual([{ path: 'chatbridge.env', required: true }]);
    expect(existsSync(path.join(deployDir, 'chatbridge.env.example'))).toBe(true);
    expect(readRepoFile('.gitignore').split('\n')).toContain('chatbridge.env');
    expect(readRepoFile('.dockerignore').split('\n')).toContain('**/chatbridge.env');
    expect(chatbridge.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(chatbridge.depends_on.redis.condition).toBe('service_healthy');
  });

  it('uses no ${NAME} interpolation that the env template does not define', () => {
    const raw = readRepoFile('deploy/compose.yaml').replace(/^\s*#.*$/gm, '');
    const interpolated = [...raw.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
    const defined = Object.keys(parseEnvFile(envTemplate));
    for (const name of interpolated) expect(defined).toContain(name);
  });

  it('persists Redis in an append-only file on a named volume, never evicting queue keys', () => {
    expect(redis.image).toMatch(/^redis:\d+\.\d+\.\d+-\w+$/);
    expect(redis.command.join(' ')).toMatch(/--appendonly yes/);
    expect(redis.command.join(' ')).toMatch(/--maxmemory-policy noeviction/);
    const [volume, mountPath] = (redis.volumes[0] as string).split(':');
    expect(mountPath).toBe('/data');
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('gives both services a healthcheck and a restart policy, and the bridge a stop grace above its drain', () => {
    for (const service of [chatbridge, redis]) {
      expect(service.healthcheck.test[0]).toBe('CMD');
      expect(service.restart).toBe('unless-stopped');
    }
    expect(chatbridge.healthcheck.test.slice(1)).toEqual(['node', 'dist/src/cli/healthcheck.js']);
    expect(existsSync(path.join(repoRoot, 'src/cli/healthcheck.ts'))).toBe(true);
    expect(durationSeconds(chatbridge.stop_grace_period)).toBeGreaterThan(exampleDrainTimeoutSeconds());
  });
});

describe('deploy/chatbridge.env.example', () => {
  it('sets every ${NAME} of config/example.yaml, each under a comment saying what it is', () => {
    const env = parseEnvFile(envTemplate);
    expect(Object.keys(env).sort()).toEqual(configVariables('config/example.yaml'));
    const lines = envTemplate.split('\n');
    for (const name of Object.keys(env)) {
      let i = lines.findIndex((l) => l.startsWith(`${name}=`)) - 1;
      while (i >= 0 && /^[A-Z_0-9]+=/.test(lines[i]!)) i--;
      expect(lines[i]).toMatch(/^# \S/);
    }
  });

  it('holds values docker and kubectl take verbatim: no quotes, no spaces around =', () => {
    for (const line of envTemplate.split('\n').filter((l) => /^[A-Z]/.test(l))) {
      expect(line).toMatch(/^[A-Z_0-9]+=[^\s"']\S*$/);
    }
  });
});
