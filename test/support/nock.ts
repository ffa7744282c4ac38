import nock from 'nock';

/**
 * Turns nock on for one test file and off again after it. nock patches node:http for the whole
 * Jest worker, and a file that restored it leaves it inactive for the next file in that worker: each
 * file activates it itself, and restores it so real-HTTP suites after it are not intercepted.
 */
export function useNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    // A delayed reply that outlived its test would keep the worker alive.
    nock.abortPendingRequests();
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });
}
