import { createHash } from 'node:crypto';
import type { BridgeStatus } from '../bridge-admin.js';
import type { TenantConfig } from '../config/schema.js';
import type { ConversationRecord } from '../store/mapping-store.js';
import { throughputCharts } from './admin-page-charts.js';
import { connectorsTable, deliveryTable, inboundGapsTable, unrecognizedTable } from './admin-page-vendors.js';
import { code, escapeHtml, table } from './html.js';

export { escapeHtml } from './html.js';

/** What the status page shows: the bridge's status (AdminFacade.status) and what this request adds; rendered here. */
export interface StatusView extends BridgeStatus {
  generatedAt: string;
  liveLimit: number;
  /** Set for a signed-in browser: its forms (replay, hand back, sign out) carry it. Scripts with a bearer token get no forms. */
  csrf?: string;
  /** Whether a tenant's customer platform can take conversations back (the hand-back button). */
  handBack(tenant: string, platform: string): boolean;
  /** The outcome of the action that redirected here. */
  notice?: string;
}

/** What an action may report back on the page: fixed texts chosen by key, never text from the request. */
export const NOTICES: Record<string, string> = {
  replayed: 'Dead letter replayed: it is queued again at the end of its conversation, after any later messages.',
  'replay-missing': 'That dead letter is no longer there (replayed or taken by another operator).',
  'group-replayed': 'Group replayed: its events are queued again together and in their original order, after any later messages.',
  'handed-back': "Conversation handed back: its customer platform's own agents have it (with the summary), and its agent side was ended.",
  'hand-back-gone': 'That conversation is no longer there (its mapping expired).',
  'hand-back-conflict': "That conversation was not handed back: it has ended, or its customer platform's own agents have it already.",
  'hand-back-unsupported': 'That conversation was not handed back: its customer platform cannot take conversations back.',
  'hand-back-failed': 'That conversation was not handed back: the customer platform refused or did not answer (see the log). It is still bridged; try again.',
};

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
.charts { display: flex; flex-wrap: wrap; gap: 1rem; } .chart { margin: 0; } .chart figcaption { color: #5b6575; }
.notice { background: #e8f1fd; border: 1px solid #b5cff5; border-radius: 6px; padding: .5rem .8rem; }
form.inline { display: inline; margin: 0; } button { font: inherit; padding: .15rem .6rem; cursor: pointer; }
.signin { background: #fff; border: 1px solid #d9dde3; border-radius: 6px; padding: 1rem; max-width: 26rem; }
.signin input { font: inherit; width: 100%; box-sizing: border-box; margin: .3rem 0 .8rem; padding: .3rem; }
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

function hidden(csrf: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

function replayForm(id: string, csrf: string, what: 'replay' | 'replay group' = 'replay'): string {
  const path = what === 'replay' ? `dead-letters/${encodeURIComponent(id)}` : `dead-letters/groups/${encodeURIComponent(id)}`;
  return `<form class="inline" method="post" action="/admin/page/${path}/replay">${hidden(csrf)}<button type="submit">${what}</button></form>`;
}

function page(body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${head}
<title>chatbridge status</title>
<style>${STYLE}</style>
</head>
<body>
<h1>chatbridge status</h1>
${body}
</body>
</html>
`;
}

/** The sign-in form: the token goes in a POST body, never in a URL. */
export function renderSignInPage(problem?: string): string {
  return page(`${problem ? `<p class="notice">${escapeHtml(problem)}</p>` : ''}
<form class="signin" method="post" action="/admin/sign-in">
<label for="token">Admin token (<code>server.adminToken</code>)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`);
}

/** Gives the conversation back to its customer platform's own agents (admin-page.ts, `hand-back`). */
function handBackForm(tenant: string, record: ConversationRecord, csrf: string): string {
  const action = `/admin/page/conversations/${encodeURIComponent(record.id)}/hand-back`;
  const tenantField = `<input type="hidden" name="tenant" value="${escapeHtml(tenant)}">`;
  const customer = escapeHtml(record.attrs.customer);
  return `<form class="inline" method="post" action="${action}">${tenantField}${hidden(csrf)}<button type="submit">hand back to ${customer}&rsquo;s agents</button></form>`;
}

/** Which processes the in-memory views (throughput, connectors, breakers, samples) come from. */
function workersNote(workers: StatusView['workers']): string {
  if (!workers) return '';
  if (workers.answered === workers.asked) return ` · ${escapeHtml(workers.asked)} workers`;
  return ` · <strong>${escapeHtml(workers.answered)} of ${escapeHtml(workers.asked)} workers answered</strong>: counts and samples of the others are missing`;
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
      const { csrf } = view;
      const canHandBack = (r: ConversationRecord) => csrf !== undefined && r.attrs.customer !== undefined && view.handBack(tenant.id, r.attrs.customer);
      const rows = live.map((r) => [code(r.id), nativeIds(r), escapeHtml(r.attrs.createdAt), canHandBack(r) ? handBackForm(tenant.id, r, csrf!) : '']);
      return `<h3>${escapeHtml(tenant.id)}</h3>${table(['bridge conversation', 'native ids per platform', 'started', 'roll back'], rows, 'no live conversations')}`;
    })
    .join('\n');
  const { csrf } = view;
  const letters = table(
    ['when', 'dead letter', 'tenant', 'conversation', 'event', 'target', 'attempts', 'group (position)', 'reason'],
    [...view.deadLetters].reverse().map((l) => [
      escapeHtml(l.at),
      `${code(l.id)}${csrf ? ` ${replayForm(l.id, csrf)}` : ''}`,
      code(l.delivery.event.tenant),
      code(l.delivery.event.conversationId),
      `${escapeHtml(l.delivery.event.kind)} ${code(l.delivery.event.id)}`,
      escapeHtml(l.delivery.target),
      escapeHtml(l.attempts),
      l.group ? `${code(l.group)} (${escapeHtml(l.position)})${csrf ? ` ${replayForm(l.group, csrf, 'replay group')}` : ''}` : '—',
      escapeHtml(l.reason),
    ]),
    'no dead letters',
  );
  const signOut = csrf ? ` · <form class="inline" method="post" action="/admin/sign-out">${hidden(csrf)}<button type="submit">sign out</button></form>` : '';
  const notice = view.notice ? `<p class="notice" role="status">${escapeHtml(view.notice)}</p>` : '';
  return page(`<p class="meta">${escapeHtml(view.generatedAt)} · ${escapeHtml(view.store)} store${workersNote(view.workers)} · refreshes every 15 s${signOut}</p>
${notice}
<div class="figures">${figure('queued deliveries', view.queueDepth)}${figure('dead letters', view.deadLetterCount, true)}</div>
<h2>Tenants and routes</h2>
${tenants}
<h2>Messages per route <span class="meta">(last hour, delivered by this instance)</span></h2>
${throughputCharts(view.throughput)}
<h2>Connectors</h2>
${connectorsTable(view.connectors)}
<h2>Delivery per target <span class="meta">(a vendor that fails pauses its conversations; they resume in order)</span></h2>
${deliveryTable(view.targets, view.breakers)}
<h2>Payloads not recognised <span class="meta">(a reading of a vendor format may be wrong)</span></h2>
${unrecognizedTable(view.unrecognized)}
<h2>Events possibly lost <span class="meta">(numbered by the vendor, never delivered; seen by this instance)</span></h2>
${inboundGapsTable(view.inboundGaps)}
<h2 id="live">Live conversations <span class="meta">(newest ${escapeHtml(view.liveLimit)} per tenant)</span></h2>
${conversations}
<h2 id="dead-letters">Latest dead letters</h2>
${letters}`, '\n<meta http-equiv="refresh" content="15; url=/admin">');
}
