#!/usr/bin/env node
/**
 * The container healthcheck (Dockerfile HEALTHCHECK, compose): exit 0 when /healthz answers 200 within 3 s,
 * else 1. The configuration is named by the first argument or CHATBRIDGE_CONFIG, as for `chatbridge start`.
 */
import { healthcheckUrl } from './healthcheck-url.js';

const TIMEOUT_MS = 3000;

try {
  const url = healthcheckUrl(process.argv[2] ?? process.env.CHATBRIDGE_CONFIG);
  const answer = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!answer.ok) process.stderr.write(`${url} answered ${answer.status}\n`);
  process.exit(answer.ok ? 0 : 1);
} catch (err) {
  process.stderr.write(`healthcheck failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
