import { MAX_CHANGES } from '../../../adapters/liveperson/inbound.js';
import { BatchTooLargeError } from '../../../src/errors.js';
import { makeConnector, makeRuntime } from './harness.js';

const config = { accountId: '42257269', clientId: 'c', clientSecret: 's' };

function notification(count: number) {
  const changes = Array.from({ length: count }, (_, i) => ({
    sequence: i,
    originatorMetadata: { id: 'agent-1', role: 'ASSIGNED_AGENT' },
    serverTimestamp: 1_700_000_000_000 + i,
    event: { type: 'ContentEvent', contentType: 'text/plain', message: `m${i}` },
    dialogId: 'dialog-1',
    messageAudience: 'ALL',
  }));
  return { kind: 'notification', type: 'ms.MessagingEventNotification', body: { changes } };
}

describe('LivePerson notification size', () => {
  it(`when a notification carries more than ${MAX_CHANGES} changes, then it is refused whole with 413 naming the cap`, async () => {
    const connector = makeConnector(config, makeRuntime());
    const refused = await Promise.resolve()
      .then(() => connector.normalize!(notification(5000)))
      .then(() => undefined, (err: unknown) => err);
    expect(refused).toBeInstanceOf(BatchTooLargeError);
    expect(refused).toMatchObject({
      status: 413,
      code: 'batch_too_large',
      details: [{ path: 'body.changes', problem: `5000 items; at most ${MAX_CHANGES}` }],
    });
    expect(await connector.normalize!(notification(MAX_CHANGES))).toHaveLength(MAX_CHANGES);
  });
});
