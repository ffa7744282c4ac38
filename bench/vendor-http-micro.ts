import { spawn } from 'node:child_process';
import http from 'node:http';
import axios from 'axios';
import { createNodeVendorHttp } from '../src/vendor-http/node-vendor-http.js';
import { createVendorHttp, vendorCall } from '../src/vendor-http/vendor-client.js';

/**
 * Micro-benchmark: the client-side CPU of one JSON POST (the shape of a LivePerson SEND) through each
 * way of calling out, against a JSON server in a child process so its CPU is not counted.
 * Usage: node dist/bench/vendor-http-micro.js [requests per client]
 */

const SERVER = `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => {
  res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"reqId":"1","code":"OK","body":{"sequence":7}}'); });
}).listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });`;

const requests = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = 16;
const body = { kind: 'req', id: '1', type: 'ms.PublishEvent', body: { dialogId: 'd-1', event: { type: 'ContentEvent', contentType: 'text/plain', message: 'hello there' } } };
const headers = { Authorization: 'app-jwt', 'X-LP-ON-BEHALF': 'consumer-jws', 'Content-Type': 'application/json' };
const call = { vendor: 'bench', operation: 'send' };

const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<string>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
const url = `http://127.0.0.1:${port}/api/account/1/messaging/consumer/conversation/send`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
// What vendor-client.ts did before: one axios instance, statuses not errors, no redirects, no proxy lookup.
const axiosClient = axios.create({ proxy: false, timeout: 10_000, httpAgent: agent, validateStatus: () => true, maxRedirects: 0 });
const nodeClient = createNodeVendorHttp({ timeoutMs: 10_000 });
const proxyClient = createVendorHttp({ timeoutMs: 10_000, viaProxy: true });

const clients: Record<string, () => Promise<unknown>> = {
  'axios (before)': () => axiosClient.request({ method: 'POST', url, params: { v: '3' }, headers, data: body }),
  'vendorCall over node:http (now)': () => vendorCall(nodeClient, { method: 'POST', url, params: { v: '3' }, headers, data: body }, call),
  'vendorCall over axios (proxy mode)': () => vendorCall(proxyClient, { method: 'POST', url, params: { v: '3' }, headers, data: body }, call),
  'bare node:http (floor)': () =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = http.request(`${url}?v=3`, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(payload) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
      });
      req.on('error', reject);
      req.end(payload);
    }),
  fetch: async () => (await fetch(`${url}?v=3`, { method: 'POST', headers, body: JSON.stringify(body) })).json(),
};

async function run(send: () => Promise<unknown>, count: number): Promise<number> {
  const start = process.cpuUsage();
  let left = count;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await send();
    }),
  );
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

for (const send of Object.values(clients)) await run(send, 2_000); // warm up JIT and sockets
for (let round = 1; round <= 3; round++) {
  for (const [name, send] of Object.entries(clients)) {
    console.log(`round ${round}  ${name.padEnd(36)} ${(await run(send, requests)).toFixed(1)} µs CPU / request`);
  }
}
server.kill();
agent.destroy();
process.exit(0);
