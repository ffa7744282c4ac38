/**
 * A cached credential with single-flight refresh: however many sends wait on an expired token,
 * the vendor sees one token request. Shared by every adapter (OAuth2 tokens, AppJWTs, sessions).
 */
export interface IssuedToken<T> {
  value: T;
  /** Epoch milliseconds after which the value must not be used. Infinity for non-expiring values. */
  expiresAt: number;
}

export class TokenCache<T = string> {
  private current: IssuedToken<T> | undefined;
  private inflight: Promise<T> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken<T>>,
    private readonly options: { refreshMarginMs?: number; now?: () => number } = {},
  ) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  async get(): Promise<T> {
    const margin = this.options.refreshMarginMs ?? 60_000;
    if (this.current && this.current.expiresAt - margin > this.now) return this.current.value;
    return this.refresh();
  }

  /**
   * Drops the cached value. Passing the value that was refused makes concurrent 401s cheap:
   * only the first one invalidates; the others find a fresher token already in place.
   */
  invalidate(refused?: T): void {
    if (refused === undefined || (this.current && this.current.value === refused)) this.current = undefined;
  }

  private refresh(): Promise<T> {
    if (!this.inflight) {
      this.inflight = this.fetchToken()
        .then((token) => {
          this.current = token;
          return token.value;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }
}
