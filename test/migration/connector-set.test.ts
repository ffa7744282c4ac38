import { planReload } from '../../src/config/reload-plan.js';
import { parseConfig } from '../../src/config/load.js';
import type { BridgeConfig } from '../../src/config/schema.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Adapter } from '../../src/ports/adapter.js';
import { ConnectorSet } from '../../src/ports/connector-set.js';
import { AdapterRegistry } from '../../src/ports/registry.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { TestPlatformConfig } from '../support/test-platform.js';
import { fakeRuntime } from '../support/fake-runtime.js';

/**
 * A platform whose connectors log start and stop with the key they were created with. A hand-over
 * lasts until `handOverDone` resolves (a long poll being finished).
 */
function lifecyclePlatform(
  platform: string,
  roles: ('customer' | 'agent')[],
  log: string[],
  handOverDone: () => Promise<void> = async () => undefined,
): Adapter<TestPlatformConfig> {
  return {
    platform,
    roles,
    configSchema: TestPlatformConfig,
    create: ({ config, runtime: { tenantId } }) => ({
      platform,
      outbound: {},
      start: async () => void log.push(`start ${tenantId}/${platform} ${config.apiKey}`),
      stop: async (options) => {
        log.push(`stop ${tenantId}/${platform} ${config.apiKey}${options?.handOver ? ' (hand-over)' : ''}`);
        if (options?.handOver) await handOverDone();
      },
    }),
  };
}

describe('connectors across a reload', () => {
  const log: string[] = [];
  let finishHandOver: () => void = () => undefined;
  const handOverDone = () => new Promise<void>((resolve) => (finishHandOver = resolve));
  const registry = new AdapterRegistry()
    .register(lifecyclePlatform('alpha', ['customer'], log))
    .register(lifecyclePlatform('beta', ['agent'], log, handOverDone));
  const store = new MemoryMappingStore();
  const runtime = (tenantId: string, platform: string) => fakeRuntime({ platform, tenantId, store });

  function config(tenants: Record<string, { alpha: string; beta: string }>): BridgeConfig {
    return parseConfig(
      {
        tenants: Object.entries(tenants).map(([id, keys]) => ({
          id,
          routes: [{ customer: 'alpha', agents: [{ platform: 'beta' }] }],
          alpha: { apiKey: keys.alpha },
          beta: { apiKey: keys.beta },
        })),
      },
      registry,
      {},
    );
  }

  it('when blocks change, tenants come and go, then a changed connector hands over while its successor starts, removed ones stop, untouched ones keep running', async () => {
    const set = new ConnectorSet(registry, runtime, createLogger({ silent: true }));
    const before = config({ acme: { alpha: 'a1', beta: 'b1' }, globex: { alpha: 'g1', beta: 'g1' } });
    set.add(before.tenants);
    await set.start();
    const untouched = set.get('acme', 'alpha');
    log.length = 0;

    const after = config({ acme: { alpha: 'a1', beta: 'b2' }, initech: { alpha: 'i1', beta: 'i1' } });
    const touched = await set.apply(planReload(before, after), after.tenants);

    expect(touched).toEqual({
      started: ['initech/alpha', 'initech/beta'],
      restarted: ['acme/beta'],
      stopped: ['globex/alpha', 'globex/beta'],
    });
    expect([...log].sort()).toEqual(
      [
        'start acme/beta b2',
        'start initech/alpha i1',
        'start initech/beta i1',
        'stop acme/beta b1 (hand-over)',
        'stop globex/alpha g1',
        'stop globex/beta g1',
      ].sort(),
    );
    expect(set.get('acme', 'alpha')).toBe(untouched);
    expect(set.get('globex', 'alpha')).toBeUndefined();

    // Shutdown does not wait for a hand-over still finishing: it stops that connector too, for good.
    log.length = 0;
    await set.stop();
    expect([...log].sort()).toEqual(['stop acme/alpha a1', 'stop acme/beta b1', 'stop acme/beta b2', 'stop initech/alpha i1', 'stop initech/beta i1']);
    finishHandOver();
  });

  it('when the hand-over has finished, then shutdown leaves the replaced connector alone', async () => {
    const set = new ConnectorSet(registry, runtime, createLogger({ silent: true }));
    const before = config({ acme: { alpha: 'a1', beta: 'b1' } });
    set.add(before.tenants);
    await set.start();
    const after = config({ acme: { alpha: 'a1', beta: 'b2' } });
    await set.apply(planReload(before, after), after.tenants);
    finishHandOver();
    await new Promise((resolve) => setImmediate(resolve));
    log.length = 0;
    await set.stop();
    expect([...log].sort()).toEqual(['stop acme/alpha a1', 'stop acme/beta b2']);
  });

  it('when the set is not running yet, then a reload creates connectors without starting or stopping anything', async () => {
    const set = new ConnectorSet(registry, runtime, createLogger({ silent: true }));
    const before = config({ acme: { alpha: 'a1', beta: 'b1' } });
    set.add(before.tenants);
    log.length = 0;
    const after = config({ acme: { alpha: 'a1', beta: 'b2' } });
    await set.apply(planReload(before, after), after.tenants);
    expect(log).toEqual([]);
    await set.start();
    expect([...log].sort()).toEqual(['start acme/alpha a1', 'start acme/beta b2']);
    await set.stop();
  });
});
