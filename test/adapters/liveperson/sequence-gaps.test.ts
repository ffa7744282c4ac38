import { SequenceGaps } from '../../../adapters/liveperson/sequence-gaps.js';
import type { InboundGap } from '../../../src/observability/inbound-gaps.js';
import { createLogger } from '../../../src/observability/logger.js';
import { type MappingStore, platformKeys } from '../../../src/store/mapping-store.js';
import { MemoryMappingStore } from '../../../src/store/memory-store.js';
import { RedisMappingStore } from '../../../src/store/redis-store.js';
import { suiteRedis } from '../../support/redis.js';

const { redis, prefix } = await suiteRedis();
const WAIT = 1000;
const logger = createLogger({ silent: true });

const stores: [string, () => MappingStore][] = [
  ['memory', () => new MemoryMappingStore()],
  ...(redis ? [['redis', () => new RedisMappingStore(redis, { keyPrefix: `${prefix}${Math.random()}:` })] as [string, () => MappingStore]] : []),
];

describe.each(stores)('LivePerson sequence gaps (%s store)', (_kind, makeStore) => {
  let clock = 1_000_000;
  const now = () => clock;
  const running: SequenceGaps[] = [];
  afterEach(() => running.splice(0).forEach((gaps) => gaps.stop()));

  function detector(store: MappingStore, reported: InboundGap[], enabled = true) {
    const gaps = new SequenceGaps(store, platformKeys(store, 'liveperson', 'acme'), 'acme', { enabled, waitMs: WAIT }, (gap) => void reported.push(gap), logger, now);
    running.push(gaps);
    return gaps;
  }
  const seeAll = (gaps: SequenceGaps, sequences: number[]) => Promise.all(sequences.map((s) => gaps.seen('conv-1', 'dialog-1', s)));

  it('when a number is skipped and nothing fills it within the wait, then the gap is reported once with its range', async () => {
    const reported: InboundGap[] = [];
    const gaps = detector(makeStore(), reported);
    await seeAll(gaps, [0, 1, 4, 5]);
    clock += WAIT;
    await gaps.check('conv-1', 'dialog-1');
    await gaps.check('conv-1', 'dialog-1');
    expect(reported).toEqual([{ conversationId: 'conv-1', dialogId: 'dialog-1', from: 2, to: 3 }]);
  });

  it('when the missing number arrives late but within the wait (reordering), then nothing is reported', async () => {
    const reported: InboundGap[] = [];
    const gaps = detector(makeStore(), reported);
    await seeAll(gaps, [0, 2]);
    clock += WAIT / 2;
    await gaps.check('conv-1', 'dialog-1');
    await seeAll(gaps, [1]);
    clock += WAIT;
    await gaps.check('conv-1', 'dialog-1');
    expect(reported).toEqual([]);
  });

  it('when the number after a hole arrived less than the wait ago, then the hole is reported only once the wait has passed', async () => {
    const reported: InboundGap[] = [];
    const gaps = detector(makeStore(), reported);
    await seeAll(gaps, [0, 1]);
    clock += WAIT;
    await seeAll(gaps, [3]);
    await gaps.check('conv-1', 'dialog-1');
    expect(reported).toEqual([]);
    clock += WAIT;
    await gaps.check('conv-1', 'dialog-1');
    expect(reported).toEqual([{ conversationId: 'conv-1', dialogId: 'dialog-1', from: 2, to: 2 }]);
  });

  it('when two instances share the store and each received part of a dialog, then only a real gap is reported, by one of them', async () => {
    const store = makeStore();
    const reportedA: InboundGap[] = [];
    const reportedB: InboundGap[] = [];
    const a = detector(store, reportedA);
    const b = detector(store, reportedB);
    await seeAll(a, [0, 2, 4]);
    await seeAll(b, [1, 3, 6]);
    clock += WAIT;
    await Promise.all([a.check('conv-1', 'dialog-1'), b.check('conv-1', 'dialog-1')]);
    expect([...reportedA, ...reportedB]).toEqual([{ conversationId: 'conv-1', dialogId: 'dialog-1', from: 5, to: 5 }]);
  });

  it('when detection is off, then nothing is recorded', async () => {
    const store = makeStore();
    const reported: InboundGap[] = [];
    const gaps = detector(store, reported, false);
    await seeAll(gaps, [0, 5]);
    clock += WAIT;
    await gaps.check('conv-1', 'dialog-1');
    expect(reported).toEqual([]);
    expect(await store.hashGetAll(store.key('lp', 'seq', 'acme', 'dialog-1'))).toEqual({});
  });
});
