import { createHash } from 'node:crypto';
import type { TenantConfig } from '../config/schema.js';
import type { DeadLetter } from '../delivery/delivery.js';
import type { ConnectorHealthView } from '../observability/connector-health.js';
import type { UnrecognizedSample } from '../observability/unrecognized.js';
import type { ConversationRecord } from '../store/mapping-store.js';
import { connectorsTable, unrecognizedTable } from './admin-page-vendors.js';
import { code, escapeHtml, table } from './html.js';

export { escapeHtml } from './html.js';

/** What the status page shows; gathered by admin-page.ts, rendered here. */
export interface StatusView {
  generatedAt: string;
  store: string;
  queueDepth: number;
  deadLetterCount: number;
  deadLetters: DeadLetter[];
  tenants: { tenant: TenantConfig; live: ConversationRecord[] }[];
  liveLimit: number;
  connectors: ConnectorHealthView[];
  unrecognized: UnrecognizedSample[];
  /** Carried by the page's forms (admin-session.ts); empty for a bearer caller. */
  csrf: string;
  /** Whether a tenant's customer platform can take conversations back (the hand-back button). */
  handBack(tenant: string, platform: string): boolean;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2430; background: #f6f7f9; }
h1 { font-size: 1.3rem; margin: 0 0 .2rem; } h2 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
.meta { color: #5b6575; margin: 0 0 1rem; }
.figures { display: flex; gap: 1rem; } .figure { background: #fff; border: 1px solid #d9dde3; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.figure strong { display: block; font-size: 1.6rem; } .figure.bad strong { color: #b42318; }
table { border-collapse: collapse; background: #fff; width: 100%; margin-bottom: .5rem; }
th, td { border: 1px solid #d9dde3; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #eceff3; font-weight: 600; } code { font: 12px ui-monospace, monospace; }
.empty { color: #5b6575; font-style: italic; }
form { margin: 0; } button { font: inherit; cursor: pointer; }
`;

/** The page's one style block is allowed by its hash: the CSP needs no 'unsafe-inline' and allows no script at all. */
export const ADMIN_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');


function routeCell(tenant: TenantConfig): string {
  return tenant.routes
    .map((route) => {
      const total = route.agents.reduce((sum, a) => sum + a.weight, 0);
      const agents = route.agents.map((a) => {
        const share = total > 0 ? Math.round((a.weight / total) * 100) : 0;
        const name = a.platform === route.customer ? `${escapeHtml(a.platform)}&rsquo;s own agents` : escapeHtml(a.platform);
        return `${name} (weight ${escapeHtml(a.weight)}, ${share}% of new conversations)`;
      });
      return `${escapeHtml(route.customer)} &rarr; ${agents.join(', ')}`;
    })
    .join('<br>');
}

function nativeIds(record: ConversationRecord): string {
  const sides = [record.attrs.customer, record.attrs.agent].filter((p): p is string => Boolean(p));
  const others = Object.keys(record.links).filter((p) => !sides.includes(p));
  return [...sides, ...others]
    .map((platform) => {
      const role = platform === record.attrs.customer ? 'customer' : platform === record.attrs.agent ? 'agent' : 'linked';
      const id = record.links[platform];
      return `${escapeHtml(platform)} (${role}): ${id ? code(id) : '<span class="empty">not created yet</span>'}`;
    })
    .join('<br>');
}

/** POSTs to the page's action route; the CSRF token ties it to this browser session. */
function handBackForm(tenant: string, record: ConversationRecord, csrf: string): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const customer = record.attrs.customer ?? '';
  return `<form method="post" action="/admin/hand-back">${hidden('tenant', tenant)}${hidden('conversation', record.id)}${hidden('csrf', csrf)}<button type="submit">Hand back to ${escapeHtml(customer)}&rsquo;s agents</button></form>`;
}

function figure(label: string, value: number, bad = false): string {
  return `<div class="figure${bad && value > 0 ? ' bad' : ''}"><strong>${escapeHtml(value)}</strong>${escapeHtml(label)}</div>`;
}

export function renderStatusPage(view: StatusView): string {
  const tenants = table(
    ['tenant', 'platforms', 'routes (customer → agents)'],
    view.tenants.map(({ tenant }) => [code(tenant.id), escapeHtml(Object.keys(tenant.platforms).join(', ')), routeCell(tenant)]),
    'no tenants configured',
  );
  const conversations = view.tenants
    .map(({ tenant, live }) => {
      const action = (r: ConversationRecord) => (r.attrs.customer && view.handBack(tenant.id, r.attrs.customer) ? handBackForm(tenant.id, r, view.csrf) : '');
      const rows = live.map((r) => [code(r.id), nativeIds(r), escapeHtml(r.attrs.createdAt), action(r)]);
      return `<h3>${escapeHtml(tenant.id)}</h3>${table(['bridge conversation', 'native ids per platform', 'started', 'roll back'], rows, 'no live conversations')}`;
    })
    .join('\n');
  const letters = table(
    ['when', 'tenant', 'conversation', 'event', 'target', 'attempts', 'reason'],
    [...view.deadLetters].reverse().map((l) => [
      escapeHtml(l.at),
      code(l.delivery.event.tenant),
      code(l.delivery.event.conversationId),
      `${escapeHtml(l.delivery.event.kind)} ${code(l.delivery.event.id)}`,
      escapeHtml(l.delivery.target),
      escapeHtml(l.attempts),
      escapeHtml(l.reason),
    ]),
    'no dead letters',
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="15">
<title>chatbridge status</title>
<style>${STYLE}</style>
</head>
<body>
<h1>chatbridge status</h1>
<p class="meta">${escapeHtml(view.generatedAt)} · ${escapeHtml(view.store)} store · refreshes every 15 s</p>
<div class="figures">${figure('queued deliveries', view.queueDepth)}${figure('dead letters', view.deadLetterCount, true)}</div>
<h2>Tenants and routes</h2>
${tenants}
<h2>Connectors</h2>
${connectorsTable(view.connectors)}
<h2>Payloads not recognised <span class="meta">(a reading of a vendor format may be wrong)</span></h2>
${unrecognizedTable(view.unrecognized)}
<h2>Live conversations <span class="meta">(newest ${escapeHtml(view.liveLimit)} per tenant)</span></h2>
${conversations}
<h2>Latest dead letters</h2>
${letters}
</body>
</html>
`;
}
