import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { RefusalLog } from '../../src/observability/refusal-log.js';

function capture() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))));
  return { logger: createLogger({ level: 'warn', stream }), lines };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RefusalLog', () => {
  it('when refusals keep coming, then each kind writes one line per interval; after a quiet interval the next one is written at once', async () => {
    const { logger, lines } = capture();
    const log = new RefusalLog(logger, new Metrics(), 60_000);
    for (let i = 0; i < 5; i++) log.refused('acme', 'egain', 401, 'unauthenticated');
    log.refused('acme', 'egain', 400, 'invalid_payload');
    await tick();
    expect(lines.map((l) => [l.reason, l.count])).toEqual([
      ['unauthenticated', 1],
      ['invalid_payload', 1],
    ]);

    log.flush(); // the interval ends: the four other 401s, nothing for the lone 400
    for (let i = 0; i < 3; i++) log.refused('acme', 'egain', 401, 'unauthenticated');
    log.flush(); // still coming: one line with the count, none at once
    log.flush(); // a quiet interval: the kind is forgotten
    log.refused('acme', 'egain', 401, 'unauthenticated');
    log.close();
    await tick();
    expect(lines.slice(2).map((l) => [l.reason, l.count])).toEqual([
      ['unauthenticated', 4],
      ['unauthenticated', 3],
      ['unauthenticated', 1],
    ]);
  });
});
