import type express from 'express';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { type Code, CONTEXT_HEADER, type Operation, STATUS_OF } from './vendor-schemas.js';
import type { SimState } from './state.js';
import type { SimOptions } from './variants.js';

/** What every simulator route shares: recording, injected failures, refusals in the vendor's error shape. */

export type SimOperation = Operation | 'serviceSettings' | 'agentTokens';

export interface RecordedRequest {
  operation: SimOperation;
  query: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface Injected {
  failure: Code | number;
  inBody: boolean;
}

export interface RouteContext {
  state: SimState;
  options: SimOptions;
  secret: Uint8Array;
  chatServerUrl: () => string;
  requests: RecordedRequest[];
  failures: Map<SimOperation, Injected[]>;
  holds: Set<() => void>;
}

export class Refusal extends Error {
  constructor(readonly status: number, readonly code: Code | undefined, message: string) {
    super(message);
  }
}

export const refuse = (code: Code, message: string) => new Refusal(STATUS_OF[code], code, message);

export function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse('INVALID_FIELD', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Wraps a route: records the request, answers an injected failure, or maps a Refusal to its status. */
export function recorded(ctx: RouteContext) {
  return (operation: SimOperation, fn: (req: Request, res: Response) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      ctx.requests.push({ operation, query: { ...req.query }, headers: pickHeaders(req), body: req.body });
      try {
        const injected = ctx.failures.get(operation)?.shift();
        if (injected) return answerInjected(res, operation, injected);
        const reply = await fn(req, res);
        if (reply !== undefined && !res.headersSent) res.status(200).json(reply);
      } catch (err) {
        if (res.headersSent) return;
        if (err instanceof Refusal) res.status(err.status).json({ exceptionCode: err.code, message: err.message });
        else res.status(500).json({ exceptionCode: 'UNKNOWN_EXCEPTION', message: 'simulator failure' });
      }
    };
}

export function jsonErrors(): express.ErrorRequestHandler {
  return (err, _req, res, _next) => {
    res.status(400).json({ exceptionCode: 'BAD_REQUEST', message: err instanceof SyntaxError ? 'malformed JSON' : 'bad request' });
  };
}

function answerInjected(res: Response, operation: SimOperation, injected: Injected): void {
  if (typeof injected.failure === 'number') {
    res.status(injected.failure).json({});
  } else if (injected.inBody) {
    res.status(200).json({ chatSystemError: { errorCondition: injected.failure, type: injected.failure, text: `injected on ${operation}` } });
  } else {
    res.status(STATUS_OF[injected.failure]).json({ exceptionCode: injected.failure, message: `injected on ${operation}` });
  }
}

function pickHeaders(req: Request): Record<string, string | undefined> {
  const names = ['authorization', 'x-aid', 'x-jsessionid', 'content-type', CONTEXT_HEADER];
  return Object.fromEntries(names.map((n) => [n, req.headers[n] as string | undefined]));
}
