import type { Writable } from 'node:stream';
import winston from 'winston';
import { currentRequestId } from './request-context.js';

/**
 * JSON logs. Every line about an event carries tenant, conversation and event ids (use `eventLogger`).
 * Keys that name credentials are masked whatever level or caller wrote them: secrets never reach a log.
 */
export type Logger = winston.Logger;

const SECRET_KEY = /(secret|password|passwd|token|authorization|on-behalf|jws|jwt|cookie|session|api[-_]?key|signature|credential|(^|_)sig$)/i;
const MASK = '[redacted]';

/** Whether a key names a credential: its value is masked in logs and in kept payload samples alike. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && typeof v !== 'boolean' ? MASK : redact(v, depth + 1);
  }
  return out;
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    const v = (info as Record<string, unknown>)[key];
    (info as Record<string, unknown>)[key] = SECRET_KEY.test(key) && v !== undefined ? MASK : redact(v);
  }
  return info;
});

/** Lines written while a request is handled carry its id, whoever wrote them. */
const requestIdFormat = winston.format((info) => {
  const requestId = currentRequestId();
  if (requestId !== undefined && info.requestId === undefined) info.requestId = requestId;
  return info;
});

/**
 * LOG_LEVEL wins over the configured level (like PORT over server.port), so an operator can turn on
 * debug without editing the file. `stderr` sends every line to stderr (CLI commands whose stdout is data).
 * `fields` go on every line (the process id, when several worker processes write to one log).
 */
export function createLogger(
  options: { level?: string; silent?: boolean; stream?: Writable; stderr?: boolean; fields?: Record<string, unknown> } = {},
): Logger {
  const logger = winston.createLogger({
    level: process.env.LOG_LEVEL || options.level || 'info',
    silent: options.silent ?? false,
    format: winston.format.combine(winston.format.timestamp(), requestIdFormat(), redactFormat(), winston.format.json()),
    defaultMeta: { service: 'chatbridge', ...options.fields },
    transports: [
      options.stream
        ? new winston.transports.Stream({ stream: options.stream })
        : new winston.transports.Console({
            stderrLevels: options.stderr ? ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] : ['error', 'warn'],
          }),
    ],
  });
  return skipDisabledLevels(logger);
}

/**
 * winston builds a line, runs its formats' stream and only then lets the transport drop it for its
 * level: a debug line per delivered event at level info cost about 3 % of the bridge's CPU. Each level
 * method asks first whether its level is on (the level can change at runtime, on a reload). Set on
 * the instance, so child loggers, which inherit from it, skip too.
 */
function skipDisabledLevels(logger: Logger): Logger {
  const methods = Object.getPrototypeOf(logger) as Record<string, unknown>;
  for (const level of Object.keys(logger.levels)) {
    const write = methods[level];
    if (typeof write !== 'function') continue;
    Object.defineProperty(logger, level, {
      writable: true,
      configurable: true,
      value: function (this: Logger | undefined, ...args: unknown[]) {
        const self = this ?? logger;
        return self.isLevelEnabled(level) ? write.apply(self, args) : self;
      },
    });
  }
  return logger;
}

/**
 * A child logger bound to one event: tenant, conversation and event ids on every line, and the id of
 * the request that brought the event in, so its delivery can be found from the webhook's log line.
 */
export function eventLogger(
  logger: Logger,
  event: { tenant: string; conversationId: string; id: string; kind: string },
  requestId?: string,
): Logger {
  return logger.child({
    tenant: event.tenant,
    conversationId: event.conversationId,
    eventId: event.id,
    kind: event.kind,
    ...(requestId ? { requestId } : {}),
  });
}
