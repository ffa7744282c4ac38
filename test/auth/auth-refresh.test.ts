import { withAuthRefresh } from '../../src/auth/auth-refresh.js';
import { AuthExpiredError, RetryableError } from '../../src/errors.js';

describe('withAuthRefresh: the one retry of a refused credential', () => {
  const failingWith = (errors: unknown[], calls: string[]) => async () => {
    calls.push('call');
    const next = errors.shift();
    if (next) throw next;
    return 'done';
  };

  it('when the credential is refused once, then it is refreshed and the call made again at once', async () => {
    const calls: string[] = [];
    const refresher = { refreshAuth: () => void calls.push('refresh') };
    expect(await withAuthRefresh(refresher, failingWith([new AuthExpiredError()], calls))).toBe('done');
    expect(calls).toEqual(['call', 'refresh', 'call']);
  });

  it('when it is refused again after the refresh, then the second refusal reaches the caller: two calls, one refresh', async () => {
    const calls: string[] = [];
    const refresher = { refreshAuth: async () => void calls.push('refresh') };
    const err = await withAuthRefresh(refresher, failingWith([new AuthExpiredError('one'), new AuthExpiredError('two')], calls)).catch((e: unknown) => e);
    expect((err as Error).message).toBe('two');
    expect(calls).toEqual(['call', 'refresh', 'call']);
  });

  it('when the failure is another one, or nothing can refresh, then it reaches the caller after one call', async () => {
    const calls: string[] = [];
    const refresher = { refreshAuth: () => void calls.push('refresh') };
    await expect(withAuthRefresh(refresher, failingWith([new RetryableError('down')], calls))).rejects.toBeInstanceOf(RetryableError);
    await expect(withAuthRefresh({}, failingWith([new AuthExpiredError()], calls))).rejects.toBeInstanceOf(AuthExpiredError);
    expect(calls).toEqual(['call', 'call']);
  });
});
