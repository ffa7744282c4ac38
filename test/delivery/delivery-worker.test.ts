import { CircuitBreaker } from '../../src/delivery/circuit-breaker.js';
import { type Delivery, laneOf } from '../../src/delivery/delivery.js';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../../src/delivery/delivery-worker.js';
import { MemoryQueueBackend } from '../../src/delivery/memory-queue.js';
import type { LaneClaim } from '../../src/delivery/queue-backend.js';
import { messageDelivery as delivery } from '../support/deliveries.js';
import { eventually } from '../support/eventually.js';

/** Counts what the worker asks of its backend, and can hold an enqueue until the test lets it go. */
class WatchedQueue extends MemoryQueueBackend {
  claims = 0;
  /** Claims answered: the dispatcher is past its claim (and idle, when nothing came back). */
  claimsDone = 0;
  readonly claimsAsked: (LaneClaim | undefined)[] = [];
  hold: Promise<void> | undefined;
  claimHold: Promise<void> | undefined;

  override async claim(max: number, token: string): Promise<Awaited<ReturnType<MemoryQueueBackend['claim']>>> {
    this.claims += 1;
    await this.claimHold;
    const claimed = await super.claim(max, token);
    this.claimsDone += 1;
    return claimed;
  }

  override async enqueue(lane: string, deliveries: Delivery[], ttl: number, claim?: LaneClaim) {
    this.claimsAsked.push(claim);
    await this.hold;
    return super.enqueue(lane, deliveries, ttl, claim);
  }
}

const OPTIONS: DeliveryWorkerOptions = {
  concurrency: 4,
  retryForMs: 60_000,
  inlineRetries: 0,
  minBackoffMs: 10,
  maxBackoffMs: 100,
  leaseMs: 30_000,
  // No poll during a test: whatever is claimed is claimed because of the enqueue.
  pollMs: 60_000,
  laneBatch: 20,
};

function worker(queue: WatchedQueue, deliver: (d: Delivery) => Promise<void>, options: Partial<DeliveryWorkerOptions> = {}) {
  const delivered: string[] = [];
  const created = new DeliveryWorker(
    queue,
    {
      deliver,
      delivered: (d) => delivered.push(d.event.id),
    },
    { ...OPTIONS, ...options },
    new CircuitBreaker({ failures: 5, openMs: 1_000, maxOpenMs: 10_000 }),
  );
  return { worker: created, delivered };
}

const started: DeliveryWorker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.stop({ drain: false, timeoutMs: 100 })));
});

function run(w: DeliveryWorker): DeliveryWorker {
  w.start();
  started.push(w);
  return w;
}

describe('DeliveryWorker: a lane taken on at enqueue', () => {
  it('when a slot is free, then an idle lane is delivered from the enqueue, in order, without a claim', async () => {
    const queue = new WatchedQueue();
    const { worker: w, delivered } = worker(queue, async () => undefined);
    run(w);
    await eventually(() => expect(queue.claimsDone).toBe(1));
    const lane = laneOf(delivery('c1', 'x'));
    expect(await w.enqueue(lane, [delivery('c1', 'e1'), delivery('c1', 'e2')], 60_000)).toEqual([true, true]);
    await eventually(() => expect(delivered).toEqual(['e1', 'e2']));
    // The start's sweep and nothing since: no announcement woke the worker to claim.
    expect(queue.claims).toBe(1);
    expect(queue.claimsAsked).toEqual([{ token: expect.any(String), leaseMs: OPTIONS.leaseMs }]);
  });

  it('when every slot is busy, then the new lane is left for a claim and delivered once a slot frees', async () => {
    const queue = new WatchedQueue();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { worker: w, delivered } = worker(queue, (d) => (d.event.id === 'a1' ? gate : Promise.resolve()), { concurrency: 1 });
    run(w);
    await w.enqueue(laneOf(delivery('a', 'x')), [delivery('a', 'a1')], 60_000);
    await w.enqueue(laneOf(delivery('b', 'x')), [delivery('b', 'b1')], 60_000);
    expect(queue.claimsAsked[1]).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20));
    expect(delivered).toEqual([]);
    open();
    await eventually(() => expect(delivered).toEqual(['a1', 'b1']));
  });

  it('when an enqueue comes while the dispatcher claims, then it takes no slot the claim may fill: never more lanes than slots', async () => {
    const queue = new WatchedQueue();
    let releaseClaim!: () => void;
    queue.claimHold = new Promise<void>((resolve) => (releaseClaim = resolve));
    let inFlight = 0;
    let most = 0;
    const { worker: w, delivered } = worker(
      queue,
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight -= 1;
      },
      { concurrency: 1 },
    );
    await queue.enqueue(laneOf(delivery('a', 'x')), [delivery('a', 'a1')], 60_000);
    run(w);
    await eventually(() => expect(queue.claims).toBe(1));
    await w.enqueue(laneOf(delivery('b', 'x')), [delivery('b', 'b1')], 60_000);
    expect(queue.claimsAsked.at(-1)).toBeUndefined();
    releaseClaim();
    queue.claimHold = undefined;
    await eventually(() => expect([...delivered].sort()).toEqual(['a1', 'b1']));
    expect(most).toBe(1);
  });

  it('when the worker stops while an enqueue is on its way, then the lane it claimed goes back for the next worker', async () => {
    const queue = new WatchedQueue();
    let release!: () => void;
    queue.hold = new Promise<void>((resolve) => (release = resolve));
    const first = worker(queue, async () => undefined);
    run(first.worker);
    const lane = laneOf(delivery('c2', 'x'));
    const enqueued = first.worker.enqueue(lane, [delivery('c2', 'c2-e1')], 60_000);
    await first.worker.stop({ drain: false, timeoutMs: 100 });
    release();
    expect(await enqueued).toEqual([true]);
    expect(first.delivered).toEqual([]);

    const next = worker(queue, async () => undefined);
    run(next.worker);
    await eventually(() => expect(next.delivered).toEqual(['c2-e1']));
  });
});
