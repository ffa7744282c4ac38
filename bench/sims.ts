import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLivePersonSimulator } from '../adapters/liveperson/simulator/index.js';
import { type RightNowSimulator, startRightNowSimulator } from '../adapters/rightnow/simulator/index.js';
import { LIVEPERSON, RIGHTNOW } from './accounts.js';
import { ArrivalRecorder, stampText } from './arrivals.js';
import { serve } from './ipc.js';

/**
 * Child process: the vendor simulators the bridge talks to (LivePerson, the target of both routes, and
 * RightNow, polled by the bridge), the arrival recorder, and the RightNow end users' door.
 *
 * RightNow has no webhooks: its load is end users posting in the simulator while the bridge long-polls.
 * `POST /say/<run>` makes the next engagement's end user post one stamped message and answers only once
 * that message reached LivePerson, so a load generator driving it keeps a fixed number of messages in
 * flight end to end (closed loop) or offers a fixed rate.
 */

const END_USER_WAIT_MS = 30_000;

export interface SimsReady {
  livepersonUrl: string;
  endUsersUrl: string;
}

const recorder = new ArrivalRecorder();
const liveperson = await startLivePersonSimulator({
  ...LIVEPERSON,
  echo: false,
  onConsumerEvent: (_conversationId, event) => {
    if (event.event.type === 'ContentEvent') recorder.record(event.event.message);
  },
});

let rightnow: RightNowSimulator | undefined;
let engagements: string[] = [];
const sequences = new Map<string, number>();

function say(run: string): Promise<boolean> {
  if (!rightnow || engagements.length === 0) throw new Error('no RightNow engagements open');
  const seq = sequences.get(run) ?? 0;
  sequences.set(run, seq + 1);
  rightnow.customerSays(engagements[seq % engagements.length]!, stampText(run, seq));
  return recorder.waitFor(run, seq, END_USER_WAIT_MS);
}

const endUsers: Server = createServer((req, res) => {
  const run = /^\/say\/([\w-]+)$/.exec(req.url ?? '')?.[1];
  req.resume();
  if (req.method !== 'POST' || !run) return void res.writeHead(404).end();
  say(run).then(
    (arrived) => res.writeHead(arrived ? 204 : 504).end(),
    () => res.writeHead(409).end(),
  );
});
endUsers.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => endUsers.listen(0, '127.0.0.1', resolve));

serve(
  {
    /** A fresh RightNow simulator (each bridge under test starts with no engagements assigned). */
    'rightnow.reset': async () => {
      await rightnow?.close();
      engagements = [];
      rightnow = await startRightNowSimulator({ ...RIGHTNOW, pollHoldMs: 20_000 });
      return { url: rightnow.url };
    },
    /** `count` end users start chatting; each says one stamped message (`run`), delivered with the offer. */
    'rightnow.open': ({ count, run }: { count: number; run: string }) => {
      if (!rightnow) throw new Error('call rightnow.reset first');
      engagements = Array.from({ length: count }, () => rightnow!.customerStartsChat({ firstName: 'Bench', subject: 'benchmark' }));
      engagements.forEach((e, seq) => rightnow!.customerSays(e, stampText(run, seq)));
      return engagements.length;
    },
    arrivals: ({ runs }: { runs: string[] }) => recorder.summary(runs),
    count: ({ run }: { run: string }) => recorder.count(run),
    forget: ({ run }: { run: string }) => recorder.forget(run),
    exit: async () => {
      await rightnow?.close();
      await liveperson.close();
      endUsers.closeAllConnections();
      await new Promise<void>((resolve) => endUsers.close(() => resolve()));
    },
  },
  { livepersonUrl: liveperson.url, endUsersUrl: `http://127.0.0.1:${(endUsers.address() as AddressInfo).port}` } satisfies SimsReady,
);
