import http from 'node:http';
import { closeNow, listenOnLoopback } from '../support/loopback-server.js';

/**
 * A pass-through HTTP proxy in front of the RightNow simulator that watches the long polls: how many
 * getMessages are outstanding at once, at most, and how each was answered. Every instance talks to
 * the simulator through it, so "exactly one instance polls" is something the test can see.
 */
export class PollWatchProxy {
  outstanding = 0;
  maxOutstanding = 0;
  readonly pollStatuses: number[] = [];
  private server: http.Server | undefined;

  async start(upstream: string): Promise<string> {
    const target = new URL(upstream);
    this.server = http.createServer((req, res) => {
      const isPoll = /\/getMessages(\?|$)/.test(req.url ?? '');
      if (isPoll) {
        this.outstanding += 1;
        this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
        // 'close' fires when the answer is sent and when the client vanishes (kill -9) mid-poll.
        res.once('close', () => (this.outstanding -= 1));
      }
      const forward = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          if (isPoll) this.pollStatuses.push(answer.statusCode ?? 0);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      res.once('close', () => forward.destroy());
      req.pipe(forward);
    });
    return listenOnLoopback(this.server);
  }

  close(): Promise<void> {
    return closeNow(this.server);
  }
}
