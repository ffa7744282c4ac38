import { parseConfig } from '../../src/config/load.js';
import { relayRegistry } from '../support/bridge-fixture.js';

const tenant = {
  id: 'acme',
  routes: [{ customer: 'relay-a', agents: [{ platform: 'relay-b' }] }],
  'relay-a': { token: 'relay-token-a', targetUrl: 'http://127.0.0.1:1' },
  'relay-b': { token: 'relay-token-b', targetUrl: 'http://127.0.0.1:2' },
};

describe('transcripts configuration', () => {
  it('when the section is absent, then 500 events are kept for 7 days and summaries quote 10 messages', () => {
    expect(parseConfig({ tenants: [tenant] }, relayRegistry(), {}).transcripts).toEqual({
      maxEvents: 500,
      retentionSeconds: 7 * 24 * 3600,
      summaryMessages: 10,
    });
  });

  it('when a key is out of range or unknown, then the error names its path', () => {
    expect(() => parseConfig({ transcripts: { maxEvents: 0, retention: 5 }, tenants: [tenant] }, relayRegistry(), {})).toThrow(
      /transcripts\.maxEvents: .*\n.*transcripts: .*retention/,
    );
  });
});
