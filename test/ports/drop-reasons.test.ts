import { readFileSync } from 'node:fs';
import type { ConnectorRuntime, SendResult } from '../../src/ports/adapter.js';
import { DROP_REASONS } from '../../src/ports/drop-reasons.js';

/**
 * Drop reasons are metric labels: a fixed catalogue. The types make a free-text reason impossible in
 * every adapter (tsc checks the lines marked below); what remains to check is that the catalogue is
 * one line of why per code and that adapter authors find every code documented.
 */

// @ts-expect-error a sentence is not a drop reason
const sentence: SendResult = { status: 'dropped', reason: 'rightnow has no agent-side typing' };
// @ts-expect-error nor is a vendor's own code, even for a partial refusal
const vendorCode: SendResult = { status: 'sent', refused: { reason: 'msg_hub_blocked_file_extension' } };
// @ts-expect-error the kind label is a canonical kind or `vendor`, never a vendor type
const vendorType: Parameters<ConnectorRuntime['drop']> = ['cqm.ExConversationChange', 'stale'];

describe('drop reasons', () => {
  it('when the catalogue is read, then every reason is a short code with a one-line why', () => {
    expect([sentence, vendorCode, vendorType]).toHaveLength(3);
    for (const [reason, why] of Object.entries(DROP_REASONS)) {
      expect(reason).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(why).not.toMatch(/\n/);
      expect(why.length).toBeGreaterThan(10);
    }
  });

  it('when docs/adapters.md is read, then its drops table lists every reason of the catalogue, and no other', () => {
    const doc = readFileSync(new URL('../../docs/adapters.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Drops'), doc.indexOf('\n## ', doc.indexOf('## Drops') + 1));
    const documented = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(DROP_REASONS));
  });
});
