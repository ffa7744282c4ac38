import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../support/deploy-files.js';

/**
 * deploy/prometheus/alerts.yaml through Prometheus' own tool (Debian's prometheus package; .ci/run installs
 * it when missing): the rules parse and type-check, and their unit tests (alerts.test.yaml: each alert fires
 * on the series that should raise it, with its rendered summary and description, and stays quiet otherwise) pass.
 */

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: path.join(repoRoot, 'deploy/prometheus'), encoding: 'utf8' });
  if (result.error) throw new Error(`promtool could not run (${result.error.message}): install Debian's prometheus package`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/prometheus/alerts.yaml', () => {
  it('passes promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', 'alerts.yaml');
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
    expect(status).toBe(0);
  });

  it('passes its promtool unit tests', () => {
    const { status, output } = promtool('test', 'rules', 'alerts.test.yaml');
    expect(output).toMatch(/SUCCESS/);
    expect(status).toBe(0);
  });
});
