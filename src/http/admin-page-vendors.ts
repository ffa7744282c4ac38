import type { ConnectorHealthView } from '../observability/connector-health.js';
import type { InboundGapRecord } from '../observability/inbound-gaps.js';
import type { UnrecognizedSample } from '../observability/unrecognized.js';
import { code, escapeHtml, table } from './html.js';

/** The status page's view of the vendors: each connector's health, what the adapters could not read, events lost. */

export function connectorsTable(connectors: ConnectorHealthView[]): string {
  return table(
    ['tenant', 'platform', 'state', 'last success', 'last error'],
    connectors.map((c) => [
      code(c.tenant),
      escapeHtml(c.platform),
      c.up === null ? '<span class="empty">no call yet</span>' : c.up ? 'up' : '<strong>down</strong>',
      escapeHtml(c.lastSuccessAt ?? '—'),
      c.lastError ? `${escapeHtml(c.lastError.at)}: ${escapeHtml(c.lastError.operation)}: ${escapeHtml(c.lastError.message)}` : '—',
    ]),
    'no connector has called its vendor yet',
  );
}

export function unrecognizedTable(samples: UnrecognizedSample[]): string {
  return table(
    ['when', 'tenant', 'platform', 'what', 'detail', 'shape (keys and types)'],
    samples.map((s) => [
      escapeHtml(s.at),
      code(s.tenant),
      escapeHtml(s.platform),
      escapeHtml(s.what),
      escapeHtml(s.detail),
      code(JSON.stringify(s.shape)),
    ]),
    'nothing unrecognised: every inbound payload matched a reading',
  );
}

export function inboundGapsTable(gaps: InboundGapRecord[]): string {
  return table(
    ['when', 'tenant', 'platform', 'bridge conversation', 'native conversation / dialog', 'missing'],
    gaps.map((g) => [
      escapeHtml(g.at),
      code(g.tenant),
      escapeHtml(g.platform),
      g.bridgeConversationId ? code(g.bridgeConversationId) : '—',
      `${code(g.conversationId)}${g.dialogId && g.dialogId !== g.conversationId ? ` / ${code(g.dialogId)}` : ''}`,
      escapeHtml(g.from === g.to ? `${g.from}` : `${g.from}–${g.to}`),
    ]),
    'no gaps: every numbered event arrived',
  );
}
