import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileProject } from '../support/child-process.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const example = path.join(root, 'config/example.yaml');
let cli: string;
let dir: string;

/** Every `${VAR}` config/example.yaml uses, set to a value long enough for any of its length rules. */
function exampleEnv(): Record<string, string> {
  const names = [...readFileSync(example, 'utf8').matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((n) => [n, `${n.toLowerCase()}-value-long-enough-for-any-rule-0123456789`]));
}

function run(args: string[], env: Record<string, string> = {}) {
  const { CHATBRIDGE_CONFIG: _ignored, ...parent } = process.env;
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...parent, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  cli = path.join(compileProject(), 'src/cli/main.js');
  dir = mkdtempSync(path.join(tmpdir(), 'chatbridge-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the chatbridge command line', () => {
  it('when asked for --version, then it prints the package version', () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const out = run(['--version']);
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe(version);
  });

  it('when validate-config gets no file, then it reads CHATBRIDGE_CONFIG', () => {
    const out = run(['validate-config'], { ...exampleEnv(), CHATBRIDGE_CONFIG: example });
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('OK: 1 tenant(s): acme\n');
    expect(out.status).toBe(0);
  });

  it('when validate-config gets neither a file nor CHATBRIDGE_CONFIG, then it says how to name one', () => {
    const out = run(['validate-config']);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('name a configuration file (or set CHATBRIDGE_CONFIG)');
  });

  it('when a variable is unset, then it is reported once, by path and name, and nothing else of it', () => {
    const { ACME_LP_CLIENT_SECRET: _unset, ...env } = exampleEnv();
    const out = run(['validate-config', example], env);
    expect(out.status).toBe(2);
    expect(out.stderr.match(/ACME_LP_CLIENT_SECRET/g)).toHaveLength(1);
    expect(out.stderr).toContain('tenants[0].liveperson.clientSecret: environment variable ACME_LP_CLIENT_SECRET is not set');
    expect(out.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('when a check names a tenant the configuration lacks, then it says there is no such tenant', () => {
    const out = run(['liveperson', 'check', '-t', 'nope', '-c', example], exampleEnv());
    expect(out.status).toBe(2);
    expect(out.stderr).toBe('no such tenant nope (tenants: acme)\n');
  });

  it('when a file of a config folder is wrong, then the error names the file and suggests the key meant', () => {
    writeFileSync(path.join(dir, '10-server.yaml'), 'server: { prot: 9000 }\n');
    writeFileSync(path.join(dir, '20-acme.yaml'), readFileSync(example, 'utf8').replace(/^server:[\s\S]*?^tenants:/m, 'tenants:'));
    const out = run(['validate-config', dir], exampleEnv());
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`server: unknown key prot (did you mean port?) (in ${path.join(dir, '10-server.yaml')})`);
  });
});
