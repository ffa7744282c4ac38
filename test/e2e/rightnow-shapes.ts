import type { ShapeSwitches } from '../../adapters/rightnow/simulator/index.js';
import { STORE_MODES, type StoreMode } from './harness.js';

/**
 * The RightNow simulator's two sets of doc-silent shapes: each RightNow route suite runs once per set, so
 * the bridge is played every shape it claims to read (the rarer ones are covered by the adapter's tests).
 */
const SHAPE_SETS: [string, Partial<ShapeSwitches>][] = [
  [
    'reference envelope, pool field, disconnect with engagementId, posts with messageId',
    { envelope: 'reference', poolChange: 'pool-field', disconnect: 'with-engagement', endUserPosts: 'with-message-id' },
  ],
  [
    'Portal envelope, CHAT_CLUSTER_POOL_ID item, disconnect without engagementId, posts without messageId',
    { envelope: 'portal', poolChange: 'config-item', disconnect: 'without-engagement', endUserPosts: 'without-message-id' },
  ],
];

/** [store mode, shape set name, shapes] for every combination. */
export const RIGHTNOW_CASES: [StoreMode, string, Partial<ShapeSwitches>][] = STORE_MODES.flatMap((store) =>
  SHAPE_SETS.map(([name, shapes]) => [store, name, shapes] as [StoreMode, string, Partial<ShapeSwitches>]),
);
