import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { EventStore, RecordedEvent, SubscribeToAllOptions, Subscription } from '@leadership/event-store';
import { idOf } from '@leadership/kernel';
import { eventually, openTestEventStore } from '@leadership/testing';
import { InMemoryProjectionBookkeeping } from './in-memory-projection-bookkeeping';
import type { ApplyResult, ProjectedReadModel } from './projected-read-model';
import { Projector, projectorHealthCheck, type ProjectorOptions } from './projector';
import { rebuildProjection } from './rebuild-projection';
import { ProjectorStoppedError } from './resilient-apply';

/*
 * The projector's retry, park and status rules against a real (in-memory SQLite) event store.
 * The read model and bookkeeping live in memory here so a test can take "the database" away and
 * give it back; the same rules against the real MongoDB wire server are in projector.int.spec.ts.
 */

/** A database that can be down: every call fails while it is. */
class Database {
  down = false;
  check(): void {
    if (this.down) throw Object.assign(new Error('connection refused'), { name: 'MongoNetworkError' });
  }
}

class FlakyBookkeeping extends InMemoryProjectionBookkeeping {
  constructor(private readonly database: Database) {
    super();
  }
  override async ping(): Promise<void> {
    this.database.check();
  }
  override async park(...args: Parameters<InMemoryProjectionBookkeeping['park']>): Promise<void> {
    this.database.check();
    return super.park(...args);
  }
}

/** Totals per tally stream, each with the revision it applied (the revision guard). */
class TallyReadModel implements ProjectedReadModel {
  readonly name = 'tallies';
  readonly categories = ['tally'];
  readonly totals = new Map<string, { revision: number; total: number }>();
  applies = 0;
  resets = 0;
  /** Revisions in the order they were applied, per stream. */
  readonly order = new Map<string, number[]>();
  /** How long an apply takes (ms), to let applies of different streams overlap. */
  delayOf: (event: RecordedEvent) => number = () => 0;

  constructor(
    private readonly database: Database,
    readonly version = 1,
  ) {}

  async init(): Promise<void> {
    this.database.check();
  }

  async apply(event: RecordedEvent): Promise<ApplyResult> {
    this.database.check();
    const data = event.data as { amount: number; poison?: boolean };
    // A fold that cannot handle this event: fails the same way every time.
    if (data.poison) throw new TypeError('cannot fold a poison event');
    const delay = this.delayOf(event);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    this.applies++;
    const id = idOf(event.streamName);
    this.order.set(id, [...(this.order.get(id) ?? []), event.revision]);
    const stored = this.totals.get(id);
    if (stored && stored.revision >= event.revision) return 'skipped';
    this.totals.set(id, { revision: event.revision, total: (stored?.total ?? 0) + data.amount });
    return 'applied';
  }

  async reset(): Promise<void> {
    this.resets++;
    this.totals.clear();
  }
}

/** The same totals, written a page at a time (as a read model with one bulk write per page does). */
class BatchTallyReadModel extends TallyReadModel {
  readonly pages: number[] = [];
  async applyBatch(events: readonly RecordedEvent[]): Promise<readonly ApplyResult[]> {
    // The whole page fails while one of its events cannot be folded, as a bulk write would.
    for (const event of events) if ((event.data as { poison?: boolean }).poison) throw new TypeError('cannot fold a poison event');
    this.pages.push(events.length);
    const results: ApplyResult[] = [];
    for (const event of events) results.push(await this.apply(event));
    return results;
  }
}

const added = (amount: number, poison = false) => ({ type: 'Added', data: poison ? { amount, poison } : { amount }, metadata: { eventId: randomUUID() } });

/** Waits until `check` holds (the shared harness's polling, every few ms). */
const until = (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000) =>
  eventually(async () => ((await check()) ? true : undefined), { what, timeoutMs, intervalMs: 5 });


describe('Projector', () => {
  let store: EventStore;
  let database: Database;
  let bookkeeping: FlakyBookkeeping;
  let readModel: TallyReadModel;
  let registry: Registry;
  let projector: Projector;
  const options = (): ProjectorOptions => ({ bookkeeping, metrics: registry, initialDelayMs: 2, maxDelayMs: 20, poisonAttempts: 3, checkpointEvery: 2 });

  beforeEach(() => {
    store = openTestEventStore();
    database = new Database();
    bookkeeping = new FlakyBookkeeping(database);
    readModel = new TallyReadModel(database);
    registry = new Registry();
    projector = new Projector(store, readModel, options());
  });

  afterEach(async () => {
    database.down = false;
    await projector.stop();
    await store.close();
  });

  it('applies the events of its categories, passes over others and checkpoints the position', async () => {
    await store.appendToStream('tally-a', [added(1), added(2)]);
    await store.appendToStream('other-x', [added(100)]);
    await projector.start();
    await store.appendToStream('tally-b', [added(5)]);
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.totals.get('a')?.total).toBe(3);
    expect(readModel.totals.get('b')?.total).toBe(5);
    expect(projector.position).toBe(await store.headPosition());
    const status = await projector.status();
    expect(status).toMatchObject({ name: 'tallies', state: 'running', lagEvents: 0, lagMs: 0, parked: 0, lastError: undefined });
    await projector.stop();
    expect((await bookkeeping.loadCheckpoint('tallies'))?.position).toBe(await store.headPosition());
    expect(projector.state).toBe('stopped');
  });

  it('overlaps the applies of different streams, keeps each stream in order and never moves the position past an unfinished event', async () => {
    readModel.delayOf = (event) => (event.streamName === 'tally-slow' ? 300 : event.streamName === 'tally-c' ? [60, 0, 20][event.revision] ?? 0 : 0);
    const slow = await store.appendToStream('tally-slow', [added(1)]);
    await store.appendToStream('tally-c', [added(1), added(2), added(3)]);
    await store.appendToStream('tally-fast', [added(1), added(1), added(1), added(1)]);
    await projector.start();
    await until(() => readModel.totals.get('fast')?.total === 4, 'fast stream applied');
    // The later streams are done while the first event is still being applied.
    expect(readModel.totals.has('slow')).toBe(false);
    expect(projector.position === undefined || projector.position < slow.position).toBe(true);
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.order.get('c')).toEqual([0, 1, 2]);
    expect(readModel.totals.get('c')?.total).toBe(6);
    expect(projector.position).toBe(await store.headPosition());
  });

  it('retries while the database is down, reports it, and resumes with everything once it is back', async () => {
    await projector.start();
    await store.appendToStream('tally-a', [added(1)]);
    expect(await projector.catchUp(2000)).toBe(true);

    database.down = true;
    await store.appendToStream('tally-a', [added(2), added(3)]);
    await store.appendToStream('tally-b', [added(10)]);
    await until(() => projector.state === 'retrying', 'retrying');
    // Far more failures than the poison limit: the database is down, so the event is not blamed.
    await until(async () => Number((await registry.getSingleMetric('leadership_projection_apply_failures_total')?.get())?.values[0]?.value ?? 0) > 10, 'failures');
    const during = await projector.status();
    expect(during.state).toBe('retrying');
    expect(during.lastError?.message).toBe('connection refused');
    expect(during.lagEvents).toBe(3);
    expect(during.lagMs).toBeGreaterThanOrEqual(0);
    await expect(projectorHealthCheck(projector).check()).rejects.toThrow(/state retrying.*connection refused/);
    // A caller waiting for freshness gives up after its timeout and is not kept.
    expect(await projector.catchUp(30)).toBe(false);
    expect(projector.waiting).toBe(0);

    database.down = false;
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.totals.get('a')).toEqual({ revision: 2, total: 6 });
    expect(readModel.totals.get('b')).toEqual({ revision: 0, total: 10 });
    const after = await projector.status();
    expect(after).toMatchObject({ state: 'running', parked: 0, lagEvents: 0 });
    await expect(projectorHealthCheck(projector).check()).resolves.toMatchObject({ state: 'running', lagEvents: 0, parked: 0, lastError: { message: 'connection refused' } });
    expect(bookkeeping.parked.size).toBe(0);
  });

  it('parks a poison event after the same failure N times with the database healthy, and carries on', async () => {
    await projector.start();
    await store.appendToStream('tally-a', [added(1), added(2, true), added(3)]);
    await store.appendToStream('tally-b', [added(10)]);
    expect(await projector.catchUp(2000)).toBe(true);

    // Stream b goes on; stream a keeps the state before its poison event (never a state that skips one).
    expect(readModel.totals.get('b')?.total).toBe(10);
    expect(readModel.totals.get('a')).toEqual({ revision: 0, total: 1 });
    const parked = [...bookkeeping.parked.values()].sort((x, y) => Number(x.position - y.position));
    expect(parked.map((p) => [p.streamName, p.revision, p.attempts])).toEqual([
      ['tally-a', 1, 3],
      ['tally-a', 2, 0],
    ]);
    expect(parked[0]?.error).toBe('cannot fold a poison event');
    expect(parked[1]?.error).toMatch(/earlier event of this stream is parked/);
    expect((await projector.status()).parked).toBe(2);
    expect(await registry.getSingleMetricAsString('leadership_projection_events_parked_total')).toContain('leadership_projection_events_parked_total{projection="tallies"} 2');
    await expect(projectorHealthCheck(projector).check()).rejects.toThrow(/2 parked events/);
    await expect(projectorHealthCheck(projector, { tolerateParked: true }).check()).resolves.toMatchObject({ state: 'running', parked: 2 });

    // After a restart the stream is still parked: its later events are not applied out of order.
    await projector.stop();
    projector = new Projector(store, readModel, options());
    await projector.start();
    await store.appendToStream('tally-a', [added(4)]);
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.totals.get('a')?.total).toBe(1);
    expect(bookkeeping.parked.size).toBe(3);
  });

  it('does not blame an event for failures while the database does not answer, then parks it once it does', async () => {
    await projector.start();
    database.down = true;
    await store.appendToStream('tally-a', [added(1, true)]);
    await until(async () => Number((await registry.getSingleMetric('leadership_projection_apply_failures_total')?.get())?.values[0]?.value ?? 0) > 6, 'failures');
    expect(bookkeeping.parked.size).toBe(0);
    database.down = false;
    await until(() => bookkeeping.parked.size === 1, 'parked');
    expect([...bookkeeping.parked.values()][0]?.attempts).toBeGreaterThan(6);
  });

  it('resubscribes after the last applied event when the subscription ends with an error', async () => {
    let failures = 2;
    const flaky: EventStore = Object.assign(Object.create(store) as EventStore, {
      subscribeToAll(subscribeOptions: SubscribeToAllOptions): Subscription {
        if (failures-- > 0) {
          subscribeOptions.onError?.(new Error('event store unreachable'));
          return { done: Promise.resolve(), stop: async () => undefined };
        }
        return store.subscribeToAll(subscribeOptions);
      },
    });
    await store.appendToStream('tally-a', [added(1), added(2)]);
    projector = new Projector(flaky, readModel, options());
    await projector.start();
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.totals.get('a')?.total).toBe(3);
    expect((await projector.status()).lastError?.message).toBe('event store unreachable');
  });

  it('applies each event once however often it is delivered (restart from an older checkpoint)', async () => {
    await store.appendToStream('tally-a', [added(1), added(2), added(3)]);
    await projector.start();
    expect(await projector.catchUp(2000)).toBe(true);
    await projector.stop();
    bookkeeping.checkpoints.clear();
    projector = new Projector(store, readModel, options());
    await projector.start();
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.totals.get('a')).toEqual({ revision: 2, total: 6 });
  });

  it('bounds catchUp: waiters time out, are capped, are rejected when the projector stops, and a stopped one answers false', async () => {
    await store.appendToStream('tally-a', [added(1)]);
    await projector.start();
    expect(await projector.catchUp(2000)).toBe(true);
    database.down = true;
    await store.appendToStream('tally-a', [added(2)]);
    const capped = new Projector(store, new TallyReadModel(database), { ...options(), maxWaiters: 1 });
    expect.assertions(6);
    const pending = projector.catchUp(60_000);
    await until(() => projector.waiting === 1, 'waiter registered');
    await projector.stop();
    await expect(pending).rejects.toBeInstanceOf(ProjectorStoppedError);
    expect(projector.waiting).toBe(0);
    expect(await projector.catchUp()).toBe(false);
    database.down = false;
    await capped.start();
    database.down = true;
    await store.appendToStream('tally-a', [added(3)]);
    const first = capped.catchUp(60_000);
    await until(() => capped.waiting === 1, 'first waiter');
    expect(await capped.catchUp(60_000)).toBe(false);
    await capped.stop();
    await expect(first).rejects.toBeInstanceOf(ProjectorStoppedError);
  });

  it('rebuilds the read model when the stored one was built by another version', async () => {
    await store.appendToStream('tally-a', [added(1), added(2)]);
    await projector.start();
    expect(await projector.catchUp(2000)).toBe(true);
    await projector.stop();
    readModel.totals.set('stale', { revision: 9, total: 99 });
    const upgraded = new TallyReadModel(database, 2);
    upgraded.totals.set('stale', { revision: 9, total: 99 });
    projector = new Projector(store, upgraded, options());
    await projector.start();
    expect(await projector.catchUp(2000)).toBe(true);
    expect(upgraded.resets).toBe(1);
    expect([...upgraded.totals.keys()]).toEqual(['a']);
    await projector.stop();
    expect((await bookkeeping.loadCheckpoint('tallies'))?.version).toBe(2);
  });

  it('exposes lag and state as Prometheus gauges', async () => {
    await projector.start();
    database.down = true;
    await store.appendToStream('tally-a', [added(1), added(2)]);
    await until(() => projector.state === 'retrying', 'retrying');
    const text = await registry.metrics();
    expect(text).toContain('leadership_projection_lag_events{projection="tallies"} 2');
    expect(text).toContain('leadership_projection_state{projection="tallies",state="retrying"} 1');
    expect(text).toMatch(/leadership_projection_lag_seconds\{projection="tallies"\} \d/);
  });

  /** The projector of the test over a read model with applyBatch instead (pages of at most 4 unless said). */
  const batched = (extra: Partial<ProjectorOptions> = {}): BatchTallyReadModel => {
    const batch = new BatchTallyReadModel(database);
    projector = new Projector(store, batch, { ...options(), batchSize: 4, ...extra });
    return batch;
  };

  it('with applyBatch, applies what arrived meanwhile as one page (at most batchSize), each stream in order, and checkpoints after the page', async () => {
    const readModel = batched();
    for (let i = 0; i < 5; i++) await store.appendToStream(`tally-${i % 2}`, [added(i)]);
    await store.appendToStream('other-x', [added(100)]);
    await projector.start();
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.pages).toEqual([4, 1]);
    expect(readModel.order.get('0')).toEqual([0, 1, 2]);
    expect(readModel.totals.get('0')?.total).toBe(0 + 2 + 4);
    expect(readModel.totals.get('1')?.total).toBe(1 + 3);
    expect(projector.position).toBe(await store.headPosition());
    expect(await registry.getSingleMetricAsString('leadership_projection_events_applied_total')).toContain('leadership_projection_events_applied_total{projection="tallies"} 5');
    await projector.stop();
    expect((await bookkeeping.loadCheckpoint('tallies'))?.position).toBe(await store.headPosition());
  });

  it('retries a page while the database is down, then applies it whole', async () => {
    const readModel = batched();
    await projector.start();
    database.down = true;
    await store.appendToStream('tally-a', [added(1), added(2)]);
    await until(async () => Number((await registry.getSingleMetric('leadership_projection_apply_failures_total')?.get())?.values[0]?.value ?? 0) > 5, 'failures');
    expect(projector.state).toBe('retrying');
    expect(bookkeeping.parked.size).toBe(0);
    database.down = false;
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.totals.get('a')).toEqual({ revision: 1, total: 3 });
    expect(projector.state).toBe('running');
  });

  it('applies a page that keeps failing one event at a time: the poison event is parked alone, the others applied', async () => {
    const readModel = batched();
    await store.appendToStream('tally-b', [added(10)]);
    await store.appendToStream('tally-a', [added(1), added(2, true), added(3)]);
    await projector.start();
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.totals.get('b')?.total).toBe(10);
    expect(readModel.totals.get('a')).toEqual({ revision: 0, total: 1 });
    expect([...bookkeeping.parked.values()].map((p) => [p.streamName, p.revision]).sort()).toEqual([
      ['tally-a', 1],
      ['tally-a', 2],
    ]);
    expect(projector.state).toBe('running');
    // Later pages skip the parked stream and carry on with the others.
    await store.appendToStream('tally-a', [added(4)]);
    await store.appendToStream('tally-b', [added(5)]);
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.totals.get('b')?.total).toBe(15);
    expect(readModel.totals.get('a')?.total).toBe(1);
  });

  it('with batchLingerMs, a busy page waits for the events that follow; a lone event on a quiet store does not', async () => {
    const readModel = batched({ batchSize: 50, batchLingerMs: 400 });
    await projector.start();
    await store.appendToStream('tally-a', [added(1), added(2)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Within the linger: the same page (the first two events are applied with it, not before).
    await store.appendToStream('tally-a', [added(3)]);
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.pages).toEqual([3]);
    await store.appendToStream('tally-b', [added(1)]);
    expect(await projector.catchUp(2000)).toBe(true);
    await store.appendToStream('tally-c', [added(1)]);
    expect(await projector.catchUp(2000)).toBe(true);
    expect(readModel.pages).toEqual([3, 1, 1]);
    expect(readModel.totals.get('a')?.total).toBe(6);
  });

  it('applyBatch is what rebuildProjection applies its pages with', async () => {
    const readModel = batched();
    for (let i = 0; i < 7; i++) await store.appendToStream(`tally-${i % 3}`, [added(i)]);
    const report = await rebuildProjection(store, readModel, { bookkeeping, pageSize: 3 });
    expect(report).toMatchObject({ events: 7, applied: 7, parked: 0 });
    expect(readModel.pages).toEqual([3, 3, 1]);
  });
});

describe('rebuildProjection', () => {
  it('replays the categories up to the head with progress, then records the checkpoint', async () => {
    const store = openTestEventStore();
    const database = new Database();
    const bookkeeping = new FlakyBookkeeping(database);
    const readModel = new TallyReadModel(database);
    for (let i = 0; i < 25; i++) await store.appendToStream(`tally-${i % 5}`, [added(i)]);
    await store.appendToStream('other-x', [added(1)]);
    readModel.totals.set('left-over', { revision: 0, total: 1 });
    const progress: { events: number; position: bigint }[] = [];
    const report = await rebuildProjection(store, readModel, { bookkeeping, pageSize: 10, onProgress: (p) => progress.push(p) });
    expect(report).toMatchObject({ events: 25, applied: 25, parked: 0, head: await store.headPosition() });
    expect(progress.map((p) => p.events)).toEqual([10, 20, 25]);
    expect(readModel.totals.has('left-over')).toBe(false);
    expect(readModel.totals.get('0')?.total).toBe(0 + 5 + 10 + 15 + 20);
    expect((await bookkeeping.loadCheckpoint('tallies'))?.position).toBe(await store.headPosition());
    await store.close();
  });
});
