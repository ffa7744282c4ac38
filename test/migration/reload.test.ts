import type { ChatbridgeService } from '../../src/service.js';
import { eventually, relayConfig, startRelayBridge } from '../support/bridge-fixture.js';
import { TargetServer } from '../support/target-server.js';
import { ConfigFile, conversationsAt, customerSays, migrationDoc, reload, startFromFile } from './migration-fixture.js';

describe('configuration reload (POST /admin/reload, SIGHUP)', () => {
  let targets: { a: TargetServer; b: TargetServer; c: TargetServer };
  let urls: { a: string; b: string; c: string };
  let file: ConfigFile;
  let service: ChatbridgeService | undefined;

  beforeEach(async () => {
    targets = { a: new TargetServer(), b: new TargetServer(), c: new TargetServer() };
    urls = { a: await targets.a.start(), b: await targets.b.start(), c: await targets.c.start() };
    file = new ConfigFile();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    file.remove();
    await Promise.all(Object.values(targets).map((t) => t.close()));
  });

  async function start(weights: { b: number; c: number }): Promise<ChatbridgeService> {
    file.write(migrationDoc({ weights, targets: urls }));
    service = await startFromFile(file);
    return service;
  }

  async function delivered(count: number): Promise<void> {
    await eventually(() => expect(targets.b.accepted.length + targets.c.accepted.length).toBe(count));
  }

  it('when the weights flip from 100/0 to 0/100, then new conversations go to the other platform and a live one stays', async () => {
    const bridge = await start({ b: 100, c: 0 });
    const tag = 'flip';
    await customerSays(bridge, `${tag}-live`, '1');
    await delivered(1);
    expect(conversationsAt(targets.b)).toContain(`${tag}-live`);

    file.write(migrationDoc({ weights: { b: 0, c: 100 }, targets: urls }));
    const res = await reload(bridge);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      reloaded: true,
      restartRequired: [],
      tenants: ['acme'],
      connectors: { started: [], restarted: [], stopped: [] },
      warnings: [],
    });

    await customerSays(bridge, `${tag}-new`, '1');
    await customerSays(bridge, `${tag}-live`, '2');
    await delivered(3);
    expect(conversationsAt(targets.c)).toEqual(new Set([`${tag}-new`]));
    const liveOnB = targets.b.accepted.filter((r) => r.key.startsWith(`relay-a:${tag}-live:`)).map((r) => r.key);
    expect(liveOnB).toEqual([`relay-a:${tag}-live:1`, `relay-a:${tag}-live:2`]);
  });

  it('when a platform is drained to weight 0, then it gets no new conversation while its live ones keep flowing', async () => {
    const bridge = await start({ b: 50, c: 50 });
    const before = Array.from({ length: 20 }, (_, i) => `drain-old-${i}`);
    for (const c of before) await customerSays(bridge, c, '1');
    await delivered(20);
    const onB = [...conversationsAt(targets.b)];
    // 20 conversations at 50/50 all landing on one side has odds of 2 in a million.
    expect(onB.length).toBeGreaterThan(0);
    expect(onB.length).toBeLessThan(20);

    file.write(migrationDoc({ weights: { b: 0, c: 100 }, targets: urls }));
    expect((await reload(bridge)).status).toBe(200);
    for (let i = 0; i < 20; i++) await customerSays(bridge, `drain-new-${i}`, '1');
    for (const c of before) await customerSays(bridge, c, '2');
    await delivered(60);

    const newOnB = [...conversationsAt(targets.b)].filter((c) => c.startsWith('drain-new-'));
    expect(newOnB).toEqual([]);
    const secondOnB = targets.b.accepted.filter((r) => r.key.endsWith(':2')).map((r) => r.key.split(':')[1]);
    expect(secondOnB.sort()).toEqual([...onB].sort());
  });

  it('when the new configuration is invalid, then 400 lists every problem and the old configuration keeps running', async () => {
    const bridge = await start({ b: 100, c: 0 });
    file.write(
      migrationDoc({ weights: { b: 0, c: 0 }, targets: urls, extra: { stroe: { kind: 'redis' } }, tenantExtra: { 'relay-c': { token: 'short' } } }),
    );
    const res = await reload(bridge);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; details: { path: string; problem: string }[] };
    expect(body.error).toBe('invalid_config');
    expect(body.details.map((d) => d.path).sort()).toEqual(
      ['(root)', 'tenants[0].relay-c.targetUrl', 'tenants[0].relay-c.token', 'tenants[0].routes[0].agents'].sort(),
    );
    expect(body.details).toContainEqual({ path: 'tenants[0].routes[0].agents', problem: 'at least one agent platform needs a weight above 0' });

    await customerSays(bridge, 'invalid-after', '1');
    await delivered(1);
    expect(conversationsAt(targets.b)).toEqual(new Set(['invalid-after']));
    expect(bridge.bridge.config.tenants[0]!.routes[0]!.agents.map((a) => a.weight)).toEqual([100, 0]);
  });

  it('when the file is not valid YAML, then 400 names the file and nothing changes', async () => {
    const bridge = await start({ b: 100, c: 0 });
    file.write('tenants: [\n  - id: acme\n  routes: {');
    const res = await reload(bridge);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: { path: string; problem: string }[] };
    expect(body.details).toHaveLength(1);
    expect(body.details[0]).toMatchObject({ path: file.path, problem: expect.stringMatching(/^YAML syntax/) });
    expect(bridge.bridge.tenant('acme')).toBeDefined();
  });

  it('when server or store settings change, then the answer names them as waiting for a restart and they keep their running value', async () => {
    const bridge = await start({ b: 100, c: 0 });
    file.write(
      migrationDoc({
        weights: { b: 100, c: 0 },
        targets: urls,
        extra: { server: { port: 0, host: '127.0.0.1', adminToken: 'admin-token-0123456789', bodyLimit: '2mb' }, store: { kind: 'memory', keyPrefix: 'other:' } },
      }),
    );
    const res = await reload(bridge);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ reloaded: true, restartRequired: ['server.bodyLimit', 'store.keyPrefix'] });
    expect(bridge.bridge.config.server.bodyLimit).toBe('1mb');
    expect(bridge.bridge.config.store.keyPrefix).toBe('cb:');
  });

  it('when a platform block changes, then its connector is replaced and the next delivery uses the new settings', async () => {
    const moved = new TargetServer();
    const movedUrl = await moved.start();
    try {
      const bridge = await start({ b: 0, c: 100 });
      await customerSays(bridge, 'block-1', '1');
      await delivered(1);
      const old = bridge.bridge.connector('acme', 'relay-c');

      file.write(migrationDoc({ weights: { b: 0, c: 100 }, targets: { ...urls, c: movedUrl } }));
      const res = await reload(bridge);
      expect(await res.json()).toMatchObject({ connectors: { started: [], restarted: ['acme/relay-c'], stopped: [] } });
      expect(bridge.bridge.connector('acme', 'relay-c')).not.toBe(old);
      expect(bridge.bridge.connector('acme', 'relay-b')).toBeDefined();

      await customerSays(bridge, 'block-1', '2');
      await eventually(() => expect(moved.accepted.map((r) => r.key)).toEqual(['relay-a:block-1:2']));
      expect(targets.c.accepted.map((r) => r.key)).toEqual(['relay-a:block-1:1']);
    } finally {
      await moved.close();
    }
  });

  it('when a tenant is added and another removed, then their webhooks answer accordingly', async () => {
    const bridge = await start({ b: 100, c: 0 });
    const doc = migrationDoc({ weights: { b: 100, c: 0 }, targets: urls });
    const [acme] = doc.tenants as Record<string, unknown>[];
    file.write({ ...doc, tenants: [{ ...acme, id: 'globex' }] });
    const res = await reload(bridge);
    expect(await res.json()).toMatchObject({
      tenants: ['globex'],
      connectors: { started: ['globex/relay-a', 'globex/relay-b', 'globex/relay-c'], stopped: ['acme/relay-a', 'acme/relay-b', 'acme/relay-c'] },
    });
    const post = (tenant: string) =>
      fetch(`${bridge.url}/webhooks/${tenant}/relay-a`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-relay-token': 'token-for-relay-a' },
        body: JSON.stringify({ messages: [{ conversation: 'tenant-swap', id: '1', text: 'hi' }] }),
      });
    expect((await post('acme')).status).toBe(404);
    expect((await post('globex')).status).toBe(200);
    await delivered(1);
  });

  it('when a platform that live conversations use is removed, then the reload applies and warns how many it strands', async () => {
    const bridge = await start({ b: 0, c: 100 });
    await customerSays(bridge, 'stranded', '1');
    await delivered(1);
    const doc = migrationDoc({ weights: { b: 100, c: 0 }, targets: urls });
    const [tenant] = doc.tenants as Record<string, unknown>[];
    const { 'relay-c': _removed, ...withoutC } = tenant!;
    file.write({ ...doc, tenants: [{ ...withoutC, routes: [{ customer: 'relay-a', agents: [{ platform: 'relay-b', weight: 100 }] }] }] });
    const res = await reload(bridge);
    expect(await res.json()).toMatchObject({
      connectors: { stopped: ['acme/relay-c'] },
      warnings: [expect.stringMatching(/^acme\/relay-c: removed while 1 live conversation\(s\) use it/)],
    });
    expect(bridge.bridge.connector('acme', 'relay-c')).toBeUndefined();
  });

  it('when the admin token is missing or wrong, then 401 and the file is not re-read', async () => {
    const bridge = await start({ b: 100, c: 0 });
    file.write(migrationDoc({ weights: { b: 0, c: 100 }, targets: urls }));
    expect((await fetch(`${bridge.url}/admin/reload`, { method: 'POST' })).status).toBe(401);
    expect((await reload(bridge, 'wrong-token-0123456789')).status).toBe(401);
    expect(bridge.bridge.config.tenants[0]!.routes[0]!.agents.map((a) => a.weight)).toEqual([100, 0]);
  });

  it('when the process gets SIGHUP, then the file is re-read; an invalid one is refused and the last good one stays', async () => {
    const bridge = await start({ b: 100, c: 0 });
    const exits: number[] = [];
    const uninstall = bridge.installSignalHandlers({ exit: (code) => exits.push(code) });
    const weights = () => bridge.bridge.config.tenants[0]!.routes[0]!.agents.map((a) => a.weight);
    try {
      file.write(migrationDoc({ weights: { b: 30, c: 70 }, targets: urls }));
      process.emit('SIGHUP');
      await eventually(() => expect(weights()).toEqual([30, 70]));

      file.write(migrationDoc({ weights: { b: 0, c: 0 }, targets: urls }));
      process.emit('SIGHUP');
      // The file is read when the signal arrives, so the refused reload saw the invalid content.
      file.write(migrationDoc({ weights: { b: 10, c: 90 }, targets: urls }));
      expect(weights()).toEqual([30, 70]);
      process.emit('SIGHUP');
      await eventually(() => expect(weights()).toEqual([10, 90]));
      expect(exits).toEqual([]);
    } finally {
      uninstall();
    }
  });

  it('when the instance was started without a configuration file, then reload answers 409', async () => {
    const sandboxLike = await startRelayBridge(relayConfig({ store: 'memory', targetA: urls.a, targetB: urls.b }));
    try {
      const res = await reload(sandboxLike);
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: 'no_config_source' });
    } finally {
      await sandboxLike.stop();
    }
  });
});
