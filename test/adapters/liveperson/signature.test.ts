import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { livePersonSignature } from '../../../adapters/liveperson/wire.js';
import { AuthenticationError } from '../../../src/errors.js';
import type { RawInbound } from '../../../src/ports/adapter.js';
import { makeConnector, makeRuntime } from './harness.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

function inbound(rawBody: Buffer, headers: Record<string, string>) {
  return { rawBody, headers };
}

/** The tenant's connector verifying one webhook, as the core's webhook route calls it. */
function verifyLivePersonWebhook(req: RawInbound, secret: string, accountId: string): void {
  void makeConnector({ accountId, clientId: 'c', clientSecret: secret }, makeRuntime()).verify!(req);
}

describe('LivePerson webhook signature', () => {
  it.each([
    ['lp-demo-chatstate.json', 'sha1=e/TfS0wv1HbvEsMqcBMmFLcMslI='],
    ['lp-demo-exconv-close.json', 'sha1=CKiT6u4nb4Mpi0tdbCbgBXKAF1E='],
  ])('when %s is signed with the demo secret, then the published signature is reproduced and accepted', (file, signature) => {
    const raw = fixture(file);
    expect(livePersonSignature('rl9hacst6kqilbofup64n11ga3', raw)).toBe(signature);
    const req = inbound(raw, { 'x-liveperson-signature': signature, 'x-liveperson-account-id': '42257269' });
    expect(() => verifyLivePersonWebhook(req, 'rl9hacst6kqilbofup64n11ga3', '42257269')).not.toThrow();
  });

  const secret = 's3cret';
  const body = Buffer.from(JSON.stringify({ kind: 'notification', body: { changes: [{ event: { message: 'Grüße 👋🏽 — 日本' } }] } }), 'utf8');
  const good = () => inbound(body, { 'x-liveperson-signature': livePersonSignature(secret, body), 'x-liveperson-account-id': '1' });

  it('when the body holds emoji and other non-ASCII text, then the signature over the raw bytes verifies', () => {
    expect(() => verifyLivePersonWebhook(good(), secret, '1')).not.toThrow();
  });

  it('when a signature was computed over ASCII-mangled text (the MS sample bug), then it is refused', () => {
    const mangled = Buffer.from(body.toString('utf8'), 'ascii');
    const sig = `sha1=${createHmac('sha1', secret).update(mangled).digest('base64')}`;
    const req = inbound(body, { 'x-liveperson-signature': sig, 'x-liveperson-account-id': '1' });
    expect(() => verifyLivePersonWebhook(req, secret, '1')).toThrow(AuthenticationError);
  });

  it('when the account enabled sha256, then a sha256= signature verifies', () => {
    const req = inbound(body, { 'x-liveperson-signature': livePersonSignature(secret, body, 'sha256'), 'x-liveperson-account-id': '1' });
    expect(() => verifyLivePersonWebhook(req, secret, '1')).not.toThrow();
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['hex instead of base64', `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`],
    ['another secret', livePersonSignature('other', body)],
    ['no algorithm prefix', createHmac('sha1', secret).update(body).digest('base64')],
  ])('when the signature is %s, then the webhook is refused with 401', (_label, signature) => {
    const headers: Record<string, string> = { 'x-liveperson-account-id': '1' };
    if (signature !== undefined) headers['x-liveperson-signature'] = signature;
    const err = (() => {
      try {
        verifyLivePersonWebhook(inbound(body, headers), secret, '1');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).status).toBe(401);
  });

  it('when the body was altered by one byte, then it is refused', () => {
    const req = good();
    req.rawBody = Buffer.from(body.toString('utf8').replace('👋', '👍'), 'utf8');
    expect(() => verifyLivePersonWebhook(req, secret, '1')).toThrow(AuthenticationError);
  });

  it('when the account id header names another account, then it is refused even with a good signature', () => {
    const req = good();
    req.headers['x-liveperson-account-id'] = '2';
    expect(() => verifyLivePersonWebhook(req, secret, '1')).toThrow(/Account-Id/);
  });
});
