import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InboundError } from '../errors.js';
import { sendError } from './errors.js';

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** `512kb`, `1mb`, `300b` (the forms `server.bodyLimit` accepts) in bytes. */
export function parseByteSize(size: string): number {
  const match = /^(\d+)(b|kb|mb)$/i.exec(size);
  if (!match) throw new Error(`not a size: ${size}`);
  return Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
}

/**
 * After a refusal the sender may still be writing. Closing a socket with unread data makes the kernel
 * answer with a reset, which throws away our 413 before the sender reads it; so the socket lingers
 * (as nginx's lingering_close does), throwing away what still comes, until the sender closes, a
 * second passes or another megabyte came, whichever is first. Then it is destroyed.
 */
const LINGER = { ms: 1000, bytes: 1024 * 1024 };

/** 413 with `Connection: close`; the body is not read further. */
function refuse(req: IncomingMessage, res: ServerResponse, limit: string): void {
  res.setHeader('Connection', 'close');
  const { socket } = req;
  // Node closes a `Connection: close` answer's socket with destroySoon once the answer is flushed.
  socket.destroySoon = () => {
    socket.end();
    let discarded = 0;
    const timer = setTimeout(() => socket.destroy(), LINGER.ms).unref();
    const close = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    req.on('data', (chunk: Buffer) => (discarded += chunk.length) > LINGER.bytes && close()).once('end', close);
    socket.once('end', close);
    req.resume();
  };
  sendError(res, 413, 'payload_too_large', `the request body is over the configured limit (${limit})`);
}

/**
 * Reads the raw body and hands it to `done`, refusing it before it is read when it is too big: a
 * declared `Content-Length` over the limit is answered 413 before one byte of body is read, and a
 * chunked body is answered 413 the moment it crosses the limit (`tooLarge` is told, `done` is not
 * called). (express.raw answers the same 413 only after reading the whole body off the wire, however
 * big, or after the request timeout.)
 */
export function readBody(
  limit: string,
): (req: IncomingMessage, res: ServerResponse, tooLarge: () => void, done: (err: InboundError | undefined, body: Buffer) => void) => void {
  const max = parseByteSize(limit);
  return (req, res, tooLarge, proceed) => {
    // Stream events run in the socket's async context: bound here, the rest of the request keeps its own
    // (its request id on every log line).
    const done = AsyncResource.bind(proceed);
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > max) {
      tooLarge();
      return refuse(req, res, limit);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      stop();
      tooLarge();
      refuse(req, res, limit);
    };
    const onEnd = () => {
      stop();
      done(undefined, Buffer.concat(chunks, size));
    };
    // The client went away: nobody is left to answer.
    const onAborted = () => {
      stop();
      done(new InboundError(400, 'aborted', 'the request was aborted'), Buffer.alloc(0));
    };
    const stop = () => {
      req.off('data', onData).off('end', onEnd).off('error', onAborted).off('aborted', onAborted);
    };
    req.on('data', onData).on('end', onEnd).on('error', onAborted).on('aborted', onAborted);
  };
}
