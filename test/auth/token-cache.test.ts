import { TokenCache } from '../../src/auth/token-cache.js';

describe('TokenCache', () => {
  it('when many callers wait on an expired token, then the issuer is asked once', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const cache = new TokenCache(async () => {
      calls += 1;
      await gate;
      return { value: `t${calls}`, expiresAt: Date.now() + 3600_000 };
    });
    const waiting = Promise.all(Array.from({ length: 50 }, () => cache.get()));
    release();
    expect(new Set(await waiting)).toEqual(new Set(['t1']));
    expect(calls).toBe(1);
  });

  it('when the token is within the refresh margin, then a new one is fetched', async () => {
    let now = 0;
    let n = 0;
    const cache = new TokenCache(async () => ({ value: `t${++n}`, expiresAt: now + 120_000 }), {
      refreshMarginMs: 60_000,
      now: () => now,
    });
    expect(await cache.get()).toBe('t1');
    now = 59_000;
    expect(await cache.get()).toBe('t1');
    now = 61_000;
    expect(await cache.get()).toBe('t2');
  });

  it('when a stale refused value is invalidated after a refresh, then the fresh token is kept', async () => {
    let n = 0;
    const cache = new TokenCache(async () => ({ value: `t${++n}`, expiresAt: Infinity }));
    const first = await cache.get();
    cache.invalidate(first);
    const second = await cache.get();
    cache.invalidate(first);
    expect(await cache.get()).toBe(second);
    expect(n).toBe(2);
  });

  it('when the issuer fails, then the failure reaches every waiter and the next call tries again', async () => {
    let n = 0;
    const cache = new TokenCache(async () => {
      n += 1;
      if (n === 1) throw new Error('issuer down');
      return { value: 'ok', expiresAt: Infinity };
    });
    await expect(Promise.all([cache.get(), cache.get()])).rejects.toThrow('issuer down');
    expect(await cache.get()).toBe('ok');
  });
});
