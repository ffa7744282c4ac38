import { AuthExpiredError } from '../errors.js';

/** What can renew a refused credential: a connector, or an adapter's own client in a CLI command. */
export interface AuthRefresher {
  refreshAuth?(): Promise<void> | void;
}

/**
 * The one answer to a refused credential: `call` failed with AuthExpiredError, so the credential is
 * refreshed (`refreshAuth`) and the call made once more at once; a second refusal reaches the caller.
 * Adapters never retry a refused credential themselves, so a call reaches the vendor at most twice.
 * Without `refreshAuth` the refusal reaches the caller as it is.
 */
export async function withAuthRefresh<T>(refresher: AuthRefresher, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof AuthExpiredError) || !refresher.refreshAuth) throw err;
    await refresher.refreshAuth();
    return call();
  }
}
