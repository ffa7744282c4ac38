import { PassThrough } from 'node:stream';
import { createLogger, eventLogger } from '../../src/observability/logger.js';

function capture(level = 'debug') {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  return { logger: createLogger({ level, stream }), lines };
}

describe('logger', () => {
  it('when a line carries credentials at any depth, then none of their values reach the output', async () => {
    const { logger, lines } = capture();
    logger.info('calling vendor', {
      clientSecret: 'cs-very-secret',
      request: { headers: { Authorization: 'Bearer tok-abc', 'X-LP-ON-BEHALF': 'jws-xyz' }, body: { password: 'pw-123' } },
      list: [{ accessToken: 'at-999' }],
      apiKey: 'k-777',
      tenant: 'acme',
    });
    await new Promise((r) => setImmediate(r));
    const out = lines.join('\n');
    for (const secret of ['cs-very-secret', 'tok-abc', 'jws-xyz', 'pw-123', 'at-999', 'k-777']) expect(out).not.toContain(secret);
    expect(JSON.parse(lines[0]!)).toMatchObject({ tenant: 'acme', clientSecret: '[redacted]', level: 'info' });
  });

  it('when a level is off, then its lines are not even built, on child loggers too, until the level is turned on', async () => {
    const { logger, lines } = capture('info');
    let built = 0;
    const meta = {
      get detail() {
        built += 1;
        return 'probe';
      },
    };
    const child = eventLogger(logger, { tenant: 'acme', conversationId: 'c-1', id: 'e-1', kind: 'message' });
    child.debug('event delivered', meta);
    logger.debug('poll done', meta);
    const { debug } = logger;
    debug('detached', meta);
    await new Promise((r) => setImmediate(r));
    expect(built).toBe(0);
    expect(lines).toEqual([]);
    logger.level = 'debug';
    child.debug('event delivered', meta);
    await new Promise((r) => setImmediate(r));
    expect(built).toBeGreaterThan(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'debug', eventId: 'e-1', detail: 'probe' });
  });

  it('when a line is about an event, then tenant, conversation and event ids are on it', async () => {
    const { logger, lines } = capture();
    eventLogger(logger, { tenant: 'acme', conversationId: 'c-1', id: 'e-1', kind: 'message' }).warn('attempt failed');
    await new Promise((r) => setImmediate(r));
    expect(JSON.parse(lines[0]!)).toMatchObject({ tenant: 'acme', conversationId: 'c-1', eventId: 'e-1', kind: 'message' });
  });

  it('when an error is logged, then only its name and message are kept (no stack with request data)', async () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error('boom'), { config: { headers: { authorization: 'Bearer leak' } } });
    logger.error('failed', { error: err });
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).not.toContain('leak');
    expect(JSON.parse(lines[0]!).error).toEqual({ name: 'Error', message: 'boom' });
  });
});
