import nock from 'nock';
import { z } from 'zod';
import { AuthExpiredError, ConversationGoneError, PermanentError, RetryableError } from '../../src/errors.js';
import { parseRetryAfter, type VendorFailure } from '../../src/vendor-http/classify.js';
import { createVendorHttp, parseReply, reportingOutcomes, vendorCall } from '../../src/vendor-http/vendor-client.js';
import { useNock } from '../support/nock.js';

const call = { vendor: 'acme', operation: 'send', vendorCode: (b: unknown) => (b as { code?: string })?.code };

// The node:http client carries the traffic; the axios one is used behind a proxy. Both keep one contract.
describe.each([
  ['node:http', false],
  ['axios (proxy)', true],
])('vendorCall error mapping through the %s client', (_name, viaProxy) => {
  useNock();
  const http = createVendorHttp({ baseURL: 'https://vendor.test', timeoutMs: 1000, viaProxy });

  it('when the vendor answers 2xx, then the response is returned with its JSON body parsed', async () => {
    nock('https://vendor.test').post('/x', { a: 1 }).reply(202, { ok: true });
    const res = await vendorCall(http, { method: 'POST', url: '/x', data: { a: 1 } }, call);
    expect(res.status).toBe(202);
    expect(res.data).toEqual({ ok: true });
  });

  it.each([
    [500, RetryableError],
    [503, RetryableError],
    [408, RetryableError],
    [400, PermanentError],
    [404, PermanentError],
    [401, AuthExpiredError],
  ])('when the vendor answers %i, then the error is %p', async (status, type) => {
    nock('https://vendor.test').post('/x').reply(status, { code: `${status}-1` });
    const err = await vendorCall(http, { method: 'POST', url: '/x' }, call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as RetryableError).vendorCode).toBe(`${status}-1`);
  });

  it('when the call names other auth statuses, then only those mean an expired credential', async () => {
    nock('https://vendor.test').post('/x').reply(403, {});
    nock('https://vendor.test').post('/y').reply(401, {});
    const auth = { ...call, authStatuses: [403] };
    expect(await vendorCall(http, { method: 'POST', url: '/x' }, auth).catch((e: unknown) => e)).toBeInstanceOf(AuthExpiredError);
    expect(await vendorCall(http, { method: 'POST', url: '/y' }, auth).catch((e: unknown) => e)).toBeInstanceOf(PermanentError);
  });

  it('when the vendor answers 429 with Retry-After, then the wait is honoured as asked', async () => {
    nock('https://vendor.test').post('/x').reply(429, {}, { 'Retry-After': '7' });
    nock('https://vendor.test').post('/y').reply(429, {}, { 'Retry-After': '0' });
    const a = (await vendorCall(http, { method: 'POST', url: '/x' }, call).catch((e: unknown) => e)) as RetryableError;
    const b = (await vendorCall(http, { method: 'POST', url: '/y' }, call).catch((e: unknown) => e)) as RetryableError;
    expect(a).toBeInstanceOf(RetryableError);
    expect(a.retryAfterMs).toBe(7000);
    expect(b.retryAfterMs).toBe(0);
  });

  it("when the vendor's rules set a floor after a 429, then a shorter or missing Retry-After waits that floor", async () => {
    nock('https://vendor.test').post('/x').reply(429, {}, { 'Retry-After': '0' });
    nock('https://vendor.test').post('/y').reply(429, {});
    nock('https://vendor.test').post('/z').reply(429, {}, { 'Retry-After': '3' });
    const floored = { ...call, rateLimitFloorMs: 1000 };
    const waits = [];
    for (const url of ['/x', '/y', '/z']) {
      waits.push(((await vendorCall(http, { method: 'POST', url }, floored).catch((e: unknown) => e)) as RetryableError).retryAfterMs);
    }
    expect(waits).toEqual([1000, 1000, 3000]);
  });

  it("when the vendor's verdict names a class for its code, then that class wins over the status", async () => {
    nock('https://vendor.test').post('/x').reply(409, { code: 'GONE' });
    nock('https://vendor.test').post('/y').reply(409, { code: 'OTHER' });
    const ruled = { ...call, verdict: (f: VendorFailure) => (f.code === 'GONE' ? ConversationGoneError : undefined) };
    const gone = await vendorCall(http, { method: 'POST', url: '/x' }, ruled).catch((e: unknown) => e);
    const other = await vendorCall(http, { method: 'POST', url: '/y' }, ruled).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ConversationGoneError);
    expect((gone as ConversationGoneError).message).toBe('acme send answered 409 (GONE)');
    expect(other).toBeInstanceOf(PermanentError);
  });

  it('when a 503 carries Retry-After, then the retryable error carries the wait', async () => {
    nock('https://vendor.test').post('/x').reply(503, 'busy', { 'Retry-After': '12' });
    const err = (await vendorCall(http, { method: 'POST', url: '/x' }, call).catch((e: unknown) => e)) as RetryableError;
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.retryAfterMs).toBe(12_000);
  });

  it('when the vendor does not answer in time, then the error is retryable', async () => {
    nock('https://vendor.test').post('/x').delay(4000).reply(200);
    const err = await vendorCall(http, { method: 'POST', url: '/x' }, call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect(String((err as Error).message)).toMatch(/ETIMEDOUT|ECONNABORTED/);
  });

  it('when the connection fails, then the error is retryable and names the network code', async () => {
    nock('https://vendor.test').post('/x').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const err = await vendorCall(http, { method: 'POST', url: '/x' }, call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as Error).message).toBe('acme send: ECONNRESET (vendor.test)');
  });

  it('when the vendor redirects, then the redirect is not followed and the call fails permanently', async () => {
    nock('https://vendor.test').post('/x').reply(302, '', { Location: 'https://vendor.test/elsewhere' });
    const elsewhere = nock('https://vendor.test').post('/elsewhere').reply(200, {});
    const err = await vendorCall(http, { method: 'POST', url: '/x' }, call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).status).toBe(302);
    expect(elsewhere.isDone()).toBe(false);
  });

  it('when the vendor answers with a body, then the error message never contains it', async () => {
    nock('https://vendor.test').post('/x').reply(400, { code: 'BAD', detail: 'customer said: my card is 4111' });
    const err = (await vendorCall(http, { method: 'POST', url: '/x', data: { secret: 's3cr3t' } }, call).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('acme send answered 400 (BAD)');
    expect(JSON.stringify(err)).not.toMatch(/4111|s3cr3t/);
  });

  it('when the URL is unusable, then the error is permanent', async () => {
    const err = await vendorCall(http, { method: 'GET', url: 'http://' }, call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
  });
});

describe('parseReply', () => {
  const Reply = z.object({ id: z.string() });
  const ok = { status: 200, headers: {}, data: { id: 'a' } };
  const odd = { status: 200, headers: {}, data: { id: 7 } };

  it('when the reply matches its schema, then the parsed reply is returned', () => {
    expect(parseReply(Reply, ok, call)).toEqual({ id: 'a' });
  });

  it("when the reply cannot be read, then the call fails permanently, or as the vendor's verdict says", () => {
    const unread = (() => {
      try {
        return parseReply(Reply, odd, call);
      } catch (err) {
        return err;
      }
    })();
    expect(unread).toBeInstanceOf(PermanentError);
    expect((unread as Error).message).toBe('acme send sent an unreadable reply');
    const retried = { ...call, verdict: (f: VendorFailure) => (f.unreadable ? RetryableError : undefined) };
    expect(() => parseReply(Reply, odd, retried)).toThrow(RetryableError);
  });
});

describe('parseRetryAfter', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('vendorCall reports whether the vendor works', () => {
  useNock();
  const outcomes: string[] = [];
  const http = reportingOutcomes(createVendorHttp({ baseURL: 'https://vendor.test', timeoutMs: 5000 }), {
    succeeded: () => void outcomes.push('ok'),
    failed: (operation, message) => void outcomes.push(`failed ${operation}: ${message}`),
  });
  beforeEach(() => (outcomes.length = 0));

  it.each([
    [200, 'ok'],
    [500, 'failed send: acme send answered 500'],
    [429, 'failed send: acme send answered 429'],
    [401, 'failed send: acme send answered 401'],
    [408, 'failed send: acme send answered 408'],
  ])('when the vendor answers %i, then it reports %p', async (status, reported) => {
    nock('https://vendor.test').post('/x').reply(status, {});
    await vendorCall(http, { method: 'POST', url: '/x', data: {} }, call).catch(() => undefined);
    expect(outcomes).toEqual([reported]);
  });

  it('when the vendor refuses one request (400, 404), then nothing is reported: the vendor works, the request does not', async () => {
    nock('https://vendor.test').post('/x').reply(400, { code: 'BAD' }).post('/x').reply(404, {});
    await vendorCall(http, { method: 'POST', url: '/x', data: {} }, call).catch(() => undefined);
    await vendorCall(http, { method: 'POST', url: '/x', data: {} }, call).catch(() => undefined);
    expect(outcomes).toEqual([]);
  });

  it("when the vendor's rules turn a 409 into a gone conversation, then nothing is reported: it is still about one request", async () => {
    nock('https://vendor.test').post('/x').reply(409, {});
    const gone = { ...call, verdict: () => ConversationGoneError };
    expect(await vendorCall(http, { method: 'POST', url: '/x', data: {} }, gone).catch((e: unknown) => e)).toBeInstanceOf(ConversationGoneError);
    expect(outcomes).toEqual([]);
  });

  it('when a token endpoint refuses the credentials (a permanent 401 for that call), then the connector is reported down', async () => {
    nock('https://vendor.test').post('/token').reply(401, {});
    await vendorCall(http, { method: 'POST', url: '/token', data: {} }, { ...call, operation: 'token', authStatuses: [] }).catch(() => undefined);
    expect(outcomes).toEqual(['failed token: acme token answered 401']);
  });

  it('when nothing answers, then the transport failure is reported', async () => {
    nock('https://vendor.test').post('/x').replyWithError({ code: 'ECONNREFUSED' });
    await vendorCall(http, { method: 'POST', url: '/x', data: {} }, call).catch(() => undefined);
    expect(outcomes).toEqual([expect.stringMatching(/^failed send: acme send: E[A-Z]+ \(vendor\.test\)$/)]);
  });
});
