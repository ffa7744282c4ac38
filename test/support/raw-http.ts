import net from 'node:net';

/** What a raw TCP client saw: every byte the server sent, and when the server closed the connection. */
export interface RawExchange {
  received: string;
  /** Milliseconds from connect to the socket closing; undefined when it was still open at the deadline. */
  closedAfterMs: number | undefined;
  /** Body bytes the client managed to write before the server answered or closed. */
  written: number;
}

/**
 * Speaks HTTP/1.1 by hand, for what fetch cannot do: a head that never ends, a Content-Length the body
 * never reaches, a chunked body that keeps coming. `body` writes until it returns false or the server
 * answers; the exchange ends when the server closes the socket or at `deadlineMs`.
 */
export function rawExchange(
  url: string,
  head: string,
  options: { deadlineMs: number; body?: (socket: net.Socket, wrote: (bytes: number) => void) => Promise<void> },
): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname);
    let received = '';
    let written = 0;
    let closedAfterMs: number | undefined;
    const finish = () => {
      clearTimeout(deadline);
      socket.destroy();
      resolve({ received, closedAfterMs, written });
    };
    const deadline = setTimeout(finish, options.deadlineMs);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    // The server may reset a connection whose body it refused: that is a close, not a test failure.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closedAfterMs = Date.now() - started;
      finish();
    });
    socket.on('connect', () => {
      socket.write(head);
      options.body?.(socket, (bytes) => (written += bytes)).catch(() => undefined);
    });
  });
}

/** Writes `chunk` as HTTP chunks until the server starts answering, closes, or `max` bytes went out. */
export async function writeChunksUntilAnswered(socket: net.Socket, wrote: (bytes: number) => void, chunk: Buffer, max: number): Promise<void> {
  let written = 0;
  let answered = false;
  socket.once('data', () => (answered = true));
  while (!answered && !socket.destroyed && written < max) {
    const ok = socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write('\r\n');
    written += chunk.length;
    wrote(chunk.length);
    if (!ok) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
    else await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The status code of the first response in `received`, or undefined when none came. */
export function statusOf(received: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
  return match ? Number(match[1]) : undefined;
}

/** The JSON body of a non-chunked response in `received`. */
export function jsonBodyOf(received: string): unknown {
  return JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4));
}
