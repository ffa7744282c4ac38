import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request id of the inbound request being handled, for every log line written on its behalf
 * (adapters, ingest) without threading it through each call, and for the events it produced.
 */
const context = new AsyncLocalStorage<{ requestId: string }>();

/** What a caller may send as X-Request-Id: an id, not a place to smuggle log lines or megabytes. */
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's id when it is one we can log safely, else a fresh one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && ACCEPTABLE.test(given) ? given : randomUUID();
}

export function withRequestId<T>(requestId: string, run: () => T): T {
  return context.run({ requestId }, run);
}

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}
