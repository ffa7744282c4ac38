import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { createLogger } from '../../src/observability/logger.js';
import { createRegistry } from '../../src/composition-root.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import { ChatbridgeService } from '../../src/service.js';
import { readRepoFile } from '../support/deploy-files.js';

/**
 * The dashboard and the alert rules name only metrics the bridge exposes: every chatbridge_* name in
 * deploy/grafana/chatbridge.json and deploy/prometheus/alerts.yaml (queries, descriptions, comments alike) is
 * in the /metrics of a running bridge, started as production starts it (prom-client's default process
 * metrics on) with every adapter (the sandbox's configuration). The dashboard's queries are also checked as
 * PromQL, by promtool, since no Grafana runs here.
 */

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

const dashboardText = readRepoFile('deploy/grafana/chatbridge.json');
const dashboard = JSON.parse(dashboardText) as { panels: Panel[]; templating: { list: { definition?: string }[] } };
const alertsText = readRepoFile('deploy/prometheus/alerts.yaml');
const named = (text: string): string[] => [...new Set(text.match(/\bchatbridge_[a-z0-9_]+/g) ?? [])].sort();

/** Metric names in the exposition: `# TYPE` lines, a histogram also under its _bucket/_sum/_count series. */
function exposed(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name! + suffix);
  }
  return names;
}

let metricsText: string;

beforeAll(async () => {
  const registry = createRegistry();
  const sandbox = await startSandbox(registry, { port: 0 });
  // No metrics option: the bridge makes its own registry with the default metrics, as `chatbridge start` does.
  const service = new ChatbridgeService(sandbox.config, registry, { logger: createLogger({ silent: true }) });
  try {
    await service.start();
    metricsText = await (await fetch(`${service.url}/metrics`)).text();
  } finally {
    await service.stop();
    await sandbox.close();
  }
});

describe('metrics named by the dashboard and the alert rules', () => {
  it('reads a real exposition (the check can fail)', () => {
    expect(exposed(metricsText)).toContain('chatbridge_queue_depth');
    expect(exposed(metricsText)).toContain('chatbridge_route_delivery_latency_seconds_bucket');
    expect(exposed(metricsText)).not.toContain('chatbridge_no_such_metric');
  });

  it.each([
    ['deploy/grafana/chatbridge.json', dashboardText],
    ['deploy/prometheus/alerts.yaml', alertsText],
  ])('%s names only metrics in /metrics', (_file, text) => {
    const available = exposed(metricsText);
    const missing = named(text).filter((name) => !available.has(name));
    expect(missing).toEqual([]);
  });

  it('has a panel for each thing an operator watches', () => {
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    for (const metric of [
      'chatbridge_inbound_rejected_total',
      'chatbridge_route_messages_total',
      'chatbridge_route_delivery_latency_seconds_bucket',
      'chatbridge_queue_depth',
      'chatbridge_queue_depth_limit',
      'chatbridge_lane_oldest_age_seconds',
      'chatbridge_dead_letters_total',
      'chatbridge_connector_up',
      'chatbridge_inbound_unrecognized_total',
      'chatbridge_route_conversations_started_total',
    ]) {
      expect(queries).toMatch(new RegExp(`\\b${metric}\\b`));
    }
  });

  it("are valid PromQL (the dashboard's queries checked by promtool, Grafana's variables filled in)", () => {
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const rules = exprs.map((expr, i) => ({
      record: `dashboard:query_${i}`,
      expr: expr.replaceAll('$__rate_interval', '5m').replaceAll('$tenant', '.*'),
    }));
    const dir = mkdtempSync(path.join(tmpdir(), 'cb-dashboard-'));
    try {
      writeFileSync(path.join(dir, 'queries.yaml'), YAML.stringify({ groups: [{ name: 'dashboard', rules }] }));
      const result = spawnSync('promtool', ['check', 'rules', 'queries.yaml'], { cwd: dir, encoding: 'utf8' });
      expect(`${result.stdout}${result.stderr}`).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
