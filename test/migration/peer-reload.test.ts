import { randomUUID } from 'node:crypto';
import type { ChatbridgeService } from '../../src/service.js';
import { eventually } from '../support/bridge-fixture.js';
import { TEST_REDIS_URL, deletePrefix, redisAvailable } from '../support/redis.js';
import { TargetServer } from '../support/target-server.js';
import { ConfigFile, conversationsAt, customerSays, migrationDoc, reload, startFromFile } from './migration-fixture.js';

/** Two instances on one Redis, each with its own copy of the configuration file, as two pods with one ConfigMap. */
(await redisAvailable() ? describe : describe.skip)('an admin reload reaches every instance on the same Redis', () => {
  let targets: { a: TargetServer; b: TargetServer; c: TargetServer };
  let urls: { a: string; b: string; c: string };
  let files: ConfigFile[];
  let services: ChatbridgeService[];
  const keyPrefix = `cbtest:${randomUUID().slice(0, 8)}:`;

  const doc = (weights: { b: number; c: number }) =>
    migrationDoc({ weights, targets: urls, extra: { store: { kind: 'redis', url: TEST_REDIS_URL, keyPrefix } } });

  beforeEach(async () => {
    targets = { a: new TargetServer(), b: new TargetServer(), c: new TargetServer() };
    urls = { a: await targets.a.start(), b: await targets.b.start(), c: await targets.c.start() };
    files = [new ConfigFile(), new ConfigFile()];
    for (const file of files) file.write(doc({ b: 100, c: 0 }));
    services = [];
    for (const file of files) services.push(await startFromFile(file));
  });
  afterEach(async () => {
    await Promise.all(services.map((s) => s.stop()));
    for (const file of files) file.remove();
    await Promise.all(Object.values(targets).map((t) => t.close()));
    await deletePrefix(TEST_REDIS_URL, keyPrefix);
  });

  it('when one instance is asked to reload, then the other re-reads its own file too', async () => {
    const [first, second] = services as [ChatbridgeService, ChatbridgeService];
    for (const file of files) file.write(doc({ b: 0, c: 100 }));
    const res = await reload(first);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ reloaded: true, peersNotified: 1 });
    await eventually(async () => {
      await customerSays(second, `probe-${randomUUID()}`, '1');
      expect(conversationsAt(targets.c).size).toBeGreaterThan(0);
    });
    const before = targets.b.accepted.length;
    for (let i = 0; i < 10; i++) await customerSays(second, `after-${i}`, '1');
    await eventually(() => expect([...conversationsAt(targets.c)].filter((c) => c.startsWith('after-'))).toHaveLength(10));
    expect(targets.b.accepted.length).toBe(before);
  });

  it('when the file is invalid where the reload was asked, then nothing is announced and the other instance keeps its weights', async () => {
    const [first, second] = services as [ChatbridgeService, ChatbridgeService];
    files[0]!.write('tenants: [');
    files[1]!.write(doc({ b: 0, c: 100 }));
    expect((await reload(first)).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 5; i++) await customerSays(second, `kept-${i}`, '1');
    await eventually(() => expect(conversationsAt(targets.b).size).toBe(5));
    expect(targets.c.accepted).toHaveLength(0);
  });
});
