import { rightnowAdapter } from '../../adapters/rightnow/index.js';
import { type RightNowSimulator, startRightNowSimulator } from '../../adapters/rightnow/simulator/index.js';
import type { ChatbridgeService } from '../../src/service.js';
import { TOKEN_B, eventually, postWebhook, relayPayload } from '../support/bridge-fixture.js';
import { TargetServer } from '../support/target-server.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { acceptedEngagement, makeConnector, makeRuntime, rightnowConfig, waitFor } from '../adapters/rightnow/harness.js';
import { ConfigFile, migrationRegistry, reload, startFromFile } from './migration-fixture.js';

/** RightNow end users routed to relay-b agents; `pollTimeoutMs` is the knob the reload turns. */
function doc(sim: RightNowSimulator, targetUrl: string, pollTimeoutMs: number) {
  return {
    server: { port: 0, host: '127.0.0.1', adminToken: 'admin-token-0123456789' },
    logging: { level: 'error' },
    tenants: [
      {
        id: 'acme',
        routes: [{ customer: 'rightnow', agents: [{ platform: 'relay-b' }] }],
        rightnow: rightnowConfig(sim, { pollTimeoutMs }),
        'relay-b': { token: TOKEN_B, targetUrl },
      },
    ],
  };
}

describe('reloading a RightNow block while engagements are live', () => {
  let sim: RightNowSimulator;
  const target = new TargetServer();
  const file = new ConfigFile();
  let service: ChatbridgeService;

  afterAll(async () => {
    await service?.stop();
    await sim?.close();
    await target.close();
    file.remove();
  });

  it('when the block changes, then the new connector adopts the agent session and the live engagement goes on both ways', async () => {
    sim = await startRightNowSimulator({ pollHoldMs: 200 });
    const targetUrl = await target.start();
    file.write(doc(sim, targetUrl, 5000));
    service = await startFromFile(file, migrationRegistry().register(rightnowAdapter));
    const engagement = sim.customerStartsChat({ firstName: 'Ada' });
    sim.customerSays(engagement, 'before the reload', { messageId: 'u-1' });
    await eventually(() => expect(target.accepted.map((r) => r.key)).toContain(`rightnow:${engagement}:u-1`));

    file.write(doc(sim, targetUrl, 6000));
    const res = await reload(service);
    expect(await res.json()).toMatchObject({ reloaded: true, connectors: { restarted: ['acme/rightnow'] } });

    // Posted at once: a message the server hands to the old connector's last poll must not be lost.
    sim.customerSays(engagement, 'after the reload', { messageId: 'u-2' });
    await eventually(() => expect(target.accepted.map((r) => r.key)).toContain(`rightnow:${engagement}:u-2`));
    const agentSide = target.accepted[0]!.conversation;
    const reply = await postWebhook(`${service.url}/webhooks/acme/relay-b`, relayPayload(agentSide, ['a-1'], 'agent'), TOKEN_B);
    expect(reply.status).toBe(200);
    await eventually(() => expect(sim.postsFor(engagement).map((p) => p.body)).toEqual(['text a-1']));

    expect(sim.engagementState(engagement)).toBe('active');
    expect(sim.count('logoff')).toBe(0);
    expect(sim.count('createAutomatedAgentSession')).toBe(1);
  });
});

describe('a RightNow connector handing over', () => {
  let sim: RightNowSimulator;

  afterEach(async () => {
    await sim.close();
  });

  it('when it hands over with a long poll outstanding, then what the server answers into that poll is still ingested, and nobody logs off', async () => {
    sim = await startRightNowSimulator({ pollHoldMs: 2000 });
    const runtime = makeRuntime(new MemoryMappingStore());
    const conn = makeConnector(rightnowConfig(sim), runtime);
    const engagement = await acceptedEngagement(sim, conn, runtime);
    const polls = sim.count('getMessages');
    await waitFor(() => sim.count('getMessages') > polls, 'the next long poll');

    const handingOver = conn.stop({ handOver: true });
    sim.customerSays(engagement, 'during the hand-over', { messageId: 'u-1' });
    await handingOver;

    expect(runtime.events.map((e) => e.id)).toContain(`rightnow:${engagement}:u-1`);
    expect(conn.polling).toBe(false);
    expect(sim.count('logoff')).toBe(0);
    expect(sim.engagementState(engagement)).toBe('active');
  });
});
