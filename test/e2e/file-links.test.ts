import { FileLinks } from '../../src/files/file-links.js';
import { eventually } from '../support/eventually.js';
import { BRIDGE_CHANNEL, bridgePerTest, consumerEvents, CUSTOMER_CHANNEL, FILE_LINK_SECRET, onlyConversation, PNG } from './harness.js';

const TWO_HOURS = 2 * 3600_000;
const PDF = Buffer.from('%PDF-1.4 Rechnung 42');

/**
 * eGain hands out files as signed URLs that expire (`contentUrlExpiry`). The bridge must not keep one:
 * it resolves the asset when it delivers, and the links it writes into text are its own, resolved again
 * on each click.
 */
describe('files from eGain still open after their signed URL expired', () => {
  const bridge = bridgePerTest({
    store: 'memory',
    tenants: [
      { id: 'beta', customer: 'egain', agent: 'liveperson' },
      { id: 'gamma', customer: 'rightnow', agent: 'egain' },
    ],
  });
  const tenant = (id: string) => bridge().tenant(id);
  const assetLookups = (id: string) => tenant(id).egain!.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/assets/'));

  it('when LivePerson is down until the file would have expired, then the callback made no asset call and the retried delivery hosts the file', async () => {
    const eg = tenant('beta').egain!;
    const lp = tenant('beta').liveperson!;
    const chat = eg.openConversation(CUSTOMER_CHANNEL, 'customer-1');
    await eg.send(chat, 'customer.info', { senderType: 'customer', customer: { firstName: 'Zoë' } });
    await eventually(() => void onlyConversation(lp));
    const conv = onlyConversation(lp);

    // The first message waits in the conversation's lane while LivePerson refuses SEND; the photo queues behind it.
    lp.setSendOutage(503);
    await eg.customerSays(chat, 'Bonjour');
    await eventually(() => expect(lp.state.rejections.some((r) => r.endpoint === 'SEND' && r.status === 503)).toBe(true));
    const photo = eg.addAsset({ name: 'photo.png', contentType: 'image/png', bytes: PNG, channelType: CUSTOMER_CHANNEL, senderType: 'customer' });
    const answered = await eg.customerSays(chat, 'Voici la photo', { attachmentIds: [photo] });
    expect(answered.status).toBe(200);
    expect(assetLookups('beta')).toEqual([]);

    // An hour-long signed URL fetched when the callback arrived would be dead now.
    eg.advanceClock(TWO_HOURS);
    lp.setSendOutage(undefined);
    await eventually(() =>
      expect(consumerEvents(lp, conv).filter(([type]) => type.startsWith('ContentEvent'))).toEqual([
        ['ContentEvent text/plain', 'Bonjour'],
        ['ContentEvent text/plain', 'Voici la photo'],
        ['ContentEvent hosted/file', expect.objectContaining({ caption: 'photo.png', fileType: 'PNG', preview: `data:image/png;base64,${PNG.toString('base64')}` })],
      ]),
    );
    expect(assetLookups('beta').map((r) => r.path)).toEqual([`/assets/${photo}`]);
    expect(eg.rejections).toEqual([]);
  });

  /** An eGain agent shares a PDF with a RightNow customer; resolves the bridge link the customer got. */
  async function agentSharesInvoice(): Promise<string> {
    const rn = tenant('gamma').rightnow!;
    const eg = tenant('gamma').egain!;
    const engagement = rn.customerStartsChat({ firstName: 'Jörg', lastName: 'Müller', email: 'joerg@example.com', subject: 'Rechnung' });
    await eventually(() => expect(eg.messages).toHaveLength(1));
    const chat = eg.messages[0]!.conversationId;
    const invoice = eg.addAsset({ name: 'rechnung.pdf', contentType: 'application/pdf', bytes: PDF, channelType: BRIDGE_CHANNEL });
    await eg.agentSays(chat, 'Ihre Rechnung', { senderType: 'egain_agent', attachmentIds: [invoice] });
    await eventually(() => expect(rn.postsFor(engagement)).toHaveLength(1));
    const [, line] = rn.postsFor(engagement)[0]!.body.split('\n');
    const link = /^rechnung\.pdf: (\S+)$/.exec(line ?? '')?.[1];
    expect(link?.startsWith(`${bridge().service.url}/files/gamma/`)).toBe(true);
    return link!;
  }

  it('when the RightNow customer clicks the file link after every signed URL expired, then it redirects to a fresh one that serves the file', async () => {
    const link = await agentSharesInvoice();
    const eg = tenant('gamma').egain!;
    const atDelivery = [...eg.state.downloads.keys()];
    expect(atDelivery).toHaveLength(1);
    eg.advanceClock(TWO_HOURS);
    expect((await fetch(`${eg.url}/storage/download?signature=${atDelivery[0]}`)).status).toBe(403);

    const click = await fetch(link, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('cache-control')).toBe('no-store');
    const fresh = click.headers.get('location')!;
    expect(fresh.startsWith(`${eg.url}/storage/download?signature=`)).toBe(true);
    expect(fresh).not.toContain(atDelivery[0]);
    expect(Buffer.from(await (await fetch(fresh)).arrayBuffer()).equals(PDF)).toBe(true);
    // Followed like a browser does: the bytes, and no bridge credential on the way.
    const followed = await fetch(link);
    expect(followed.status).toBe(200);
    expect(Buffer.from(await followed.arrayBuffer()).equals(PDF)).toBe(true);
    // Our own probe of the old URL, and the bridge's access token, which aged with the clock and was renewed.
    expect(eg.rejections.map((r) => r.message)).toEqual(['signed URL expired', 'access token expired']);
  });

  it('when a link is forged, expired, for another tenant or for a file that is gone, then it is refused with a 4xx JSON error', async () => {
    const link = await agentSharesInvoice();
    const base = bridge().service.url;
    const token = link.slice(link.lastIndexOf('/') + 1);
    const [payload, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p: string; a: string; e: number };
    const otherAsset = Buffer.from(JSON.stringify({ ...claims, a: 'another-asset' })).toString('base64url');
    const minted = (now: number) => new FileLinks({ secret: FILE_LINK_SECRET, ttlSeconds: 60, publicUrl: base }, () => now);
    const refusals: [string, number, string][] = [
      [`${base}/files/beta/${token}`, 403, 'invalid_link'],
      [`${base}/files/gamma/${otherAsset}.${mac}`, 403, 'invalid_link'],
      [`${base}/files/gamma/${payload}.${mac.slice(0, -2)}AA`, 403, 'invalid_link'],
      [`${base}/files/gamma/not-a-token`, 403, 'invalid_link'],
      [minted(Date.now() - TWO_HOURS).link('gamma', { platform: 'egain', nativeId: claims.a })!, 410, 'link_expired'],
      [minted(Date.now()).link('gamma', { platform: 'egain', nativeId: 'no-such-asset' })!, 404, 'file_not_found'],
      [minted(Date.now()).link('gamma', { platform: 'liveperson', nativeId: claims.a })!, 404, 'file_not_found'],
      [`${base}/files/nobody/${token}`, 404, 'not_found'],
    ];
    for (const [url, status, error] of refusals) {
      const res = await fetch(url, { redirect: 'manual' });
      expect([url, res.status, res.headers.get('content-type')]).toEqual([url, status, expect.stringMatching(/^application\/json/)]);
      expect(await res.json()).toMatchObject({ error });
    }
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(302);
    const counted = (await bridge().metrics.fileLinkRequests.get()).values.map((v) => [v.labels.tenant, v.labels.outcome, v.value]);
    expect(counted).toEqual(
      expect.arrayContaining([
        ['beta', 'invalid_link', 1],
        ['gamma', 'invalid_link', 3],
        ['gamma', 'link_expired', 1],
        ['gamma', 'file_not_found', 2],
        ['gamma', 'redirected', 1],
      ]),
    );
  });
});
