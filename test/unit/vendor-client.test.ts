import nock from 'nock';
import { AuthExpiredError, PermanentError, RetryableError } from '../../src/errors.js';
import { createVendorHttp, parseRetryAfter, vendorCall } from '../../src/http/vendor-client.js';
import { useNock } from '../support/nock.js';

const call = { vendor: 'acme', operation: 'send', vendorCode: (b: unknown) => (b as { code?: string })?.code };

describe('vendorCall error mapping', () => {
  useNock();
  const http = createVendorHttp({ baseURL: 'https://vendor.test', timeoutMs: 200 });

  it('when the vendor answers 2xx, then the response is returned', async () => {
    nock('https://vendor.test').post('/x').reply(202, { ok: true });
    const res = await vendorCall(http, { method: 'POST', url: '/x', data: {} }, call);
    expect(res.status).toBe(202);
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

  it('when the vendor answers 429 with Retry-After, then the wait is honoured, never under 1 s', async () => {
    nock('https://vendor.test').post('/x').reply(429, {}, { 'Retry-After': '7' });
    nock('https://vendor.test').post('/y').reply(429, {}, { 'Retry-After': '0' });
    const a = (await vendorCall(http, { method: 'POST', url: '/x' }, call).catch((e: unknown) => e)) as RetryableError;
    const b = (await vendorCall(http, { method: 'POST', url: '/y' }, call).catch((e: unknown) => e)) as RetryableError;
    expect(a.retryAfterMs).toBe(7000);
    expect(b.retryAfterMs).toBe(1000);
  });

  it('when the vendor does not answer in time, then the error is retryable', async () => {
    nock('https://vendor.test').post('/x').delay(1000).reply(200);
    const err = await vendorCall(http, { method: 'POST', url: '/x' }, call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect(String((err as Error).message)).toMatch(/ETIMEDOUT|ECONNABORTED/);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
