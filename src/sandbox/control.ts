import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { z } from 'zod';
import type { Bridge } from '../bridge.js';
import { zodDetails } from '../errors.js';
import { requireAdmin } from '../http/admin.js';
import { sendError } from '../http/errors.js';
import { problemsDetail } from '../observability/unrecognized.js';
import type { Sandbox } from './sandbox.js';
import { type SayReport, SayRefused, sandboxSay } from './say.js';

/**
 * How a second terminal reaches the running sandbox: the sandbox process listens on a loopback port of
 * its own (never on the bridge's port, which a production deployment exposes) and writes where, with a
 * fresh bearer token, to a state file in the working directory (mode 0600: other local users cannot
 * drive it). `chatbridge sandbox say` reads the file and POSTs to `/say`. The file goes when the sandbox
 * stops.
 */
export const SANDBOX_STATE_FILE = '.sandbox.json';

const SandboxState = z.object({ pid: z.number(), bridgeUrl: z.string(), controlUrl: z.string(), token: z.string() });
type SandboxState = z.infer<typeof SandboxState>;

const SayBody = z.strictObject({ tenant: z.string().min(1), as: z.enum(['customer', 'agent']), text: z.string().min(1).max(4000) });

export interface SandboxControl {
  url: string;
  close(): Promise<void>;
}

export async function serveSandboxControl(
  sandbox: Sandbox,
  bridge: Bridge,
  options: { bridgeUrl: string; stateFile: string },
): Promise<SandboxControl> {
  const token = randomBytes(24).toString('base64url');
  const app = express();
  app.disable('x-powered-by');
  app.use(requireAdmin(token));
  app.use(express.json({ limit: '16kb' }));
  app.post('/say', async (req, res) => {
    const body = SayBody.safeParse(req.body);
    if (!body.success) return sendError(res, 400, 'invalid_request', problemsDetail(zodDetails(body.error)));
    try {
      res.json(await sandboxSay(sandbox, bridge, body.data));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      sendError(res, err instanceof SayRefused ? 409 : 500, err instanceof SayRefused ? 'refused' : 'failed', message);
    }
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const state: SandboxState = { pid: process.pid, bridgeUrl: options.bridgeUrl, controlUrl: url, token };
  try {
    writeFileSync(options.stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  } catch (err) {
    await stop();
    throw new Error(`cannot write ${options.stateFile}: ${(err as Error).message}`);
  }
  return {
    url,
    close: async () => {
      rmSync(options.stateFile, { force: true });
      await stop();
    },
  };
}

/** The CLI side: asks the sandbox named in the state file to say something. Errors read as advice. */
export async function requestSay(stateFile: string, request: z.infer<typeof SayBody>): Promise<SayReport> {
  let state: SandboxState;
  try {
    state = SandboxState.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
  } catch {
    throw new Error(`no running sandbox found (${stateFile} is missing or unreadable): start one with \`npm start\` in this folder`);
  }
  let res: Response;
  try {
    res = await fetch(`${state.controlUrl}/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}` },
      body: JSON.stringify(request),
    });
  } catch {
    throw new Error(`the sandbox in ${stateFile} (pid ${state.pid}) does not answer: is it still running?`);
  }
  const body = (await res.json()) as SayReport & { message?: string };
  if (!res.ok) throw new Error(body.message ?? `the sandbox answered HTTP ${res.status}`);
  return body;
}
