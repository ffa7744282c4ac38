import autocannon from 'autocannon';
import { INTERACTION_SCOPE, startEgainSimulator } from '../adapters/egain/simulator/index.js';
import { EGAIN, EGAIN_CALLBACK, EGAIN_CHANNEL } from './accounts.js';
import { stampText } from './arrivals.js';
import { serve } from './ipc.js';
import { type RequestSpec, type SendCounts, sendAtRate } from './pacer.js';

/**
 * Child process: the load generator. It plays the eGain Hub (callbacks built by the eGain simulator's
 * own `callbackPayload`, Basic-authenticated as registered) or knocks on the RightNow end users' door,
 * at a fixed rate (open loop, own pacer) or at maximum rate (autocannon, closed loop over `connections`).
 * The eGain simulator here is also the API the bridge's eGain connector is configured with.
 */

export type Target = { kind: 'egain'; url: string } | { kind: 'end-users'; url: string };

export interface LoadRequest {
  target: Target;
  run: string;
  /** Fixed rate (events/s) with `total` requests, or maximum rate for `durationS` over `connections`. */
  load: { mode: 'rate'; rate: number; total: number } | { mode: 'max'; durationS: number; connections: number };
}

export interface GeneratorReady {
  egainUrl: string;
  egainTokenUrl: string;
}

const egain = await startEgainSimulator({ clients: [{ ...EGAIN, type: 'custom_agent', scopes: [INTERACTION_SCOPE] }] });
let conversations: string[] = [];
const basic = `Basic ${Buffer.from(`${EGAIN_CALLBACK.username}:${EGAIN_CALLBACK.password}`).toString('base64')}`;

function spec(target: Target, run: string): RequestSpec & { built(): number } {
  let seq = 0;
  if (target.kind === 'end-users') {
    return { url: `${target.url}/say/${run}`, headers: {}, body: () => (seq++, ''), built: () => seq };
  }
  if (conversations.length === 0) throw new Error('call egain.open first');
  return {
    url: target.url,
    headers: { 'content-type': 'application/json', authorization: basic },
    body: () => {
      const n = seq++;
      const payload = egain.callbackPayload(conversations[n % conversations.length]!, 'text', {
        id: `${run}-${n}`,
        senderType: 'customer',
        text: stampText(run, n),
      });
      return JSON.stringify(payload);
    },
    built: () => seq,
  };
}

async function atMaximum(request: RequestSpec & { built(): number }, durationS: number, connections: number): Promise<SendCounts> {
  const result = await autocannon({
    url: request.url,
    method: 'POST',
    headers: request.headers,
    connections,
    duration: durationS,
    timeout: 30,
    requests: [{ setupRequest: (req) => ({ ...req, body: request.body() }) }],
  });
  return { sent: request.built(), ok: result['2xx'], errors: result.non2xx + result.errors, elapsedS: result.duration };
}

serve(
  {
    /** Customers open `count` conversations on the eGain channel; callbacks spread over them. */
    'egain.open': ({ count }: { count: number }) => {
      conversations = Array.from({ length: count }, () => egain.openConversation(EGAIN_CHANNEL));
      return conversations.length;
    },
    load: ({ target, run, load }: LoadRequest): Promise<SendCounts> => {
      const request = spec(target, run);
      return load.mode === 'rate' ? sendAtRate(request, load.rate, load.total) : atMaximum(request, load.durationS, load.connections);
    },
    exit: () => egain.close(),
  },
  { egainUrl: egain.url, egainTokenUrl: egain.tokenUrl } satisfies GeneratorReady,
);
