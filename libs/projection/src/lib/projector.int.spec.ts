import { randomUUID } from 'node:crypto';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { Registry } from 'prom-client';
import type { EventStore, RecordedEvent } from '@leadership/event-store';
import { idOf } from '@leadership/kernel';
import { eventually, isolatedMongoUri, openTestEventStore, TcpOutageProxy, testInfra } from '@leadership/testing';
import { applyIfNewer } from './apply-if-newer';
import { modelOn } from './model-on';
import { MongoProjectionBookkeeping } from './mongo-projection-bookkeeping';
import type { ApplyResult, ProjectedReadModel } from './projected-read-model';
import { Projector } from './projector';

/*
 * The projector against the real MongoDB wire server (FerretDB locally): the database goes away
 * mid-stream (a TCP proxy in front of it stops), comes back, and the projector applies everything;
 * a document the server cannot store is parked while later events go on; redelivery changes
 * nothing.
 */

interface CounterDocument {
  _id: string;
  revision: number;
  total: number;
}

const counterSchema = new Schema<CounterDocument>(
  { _id: { type: String, required: true }, revision: { type: Number, required: true }, total: { type: Number, required: true } },
  // As every read model's schema: no command buffering (see MongoProjectionBookkeeping).
  { versionKey: false, bufferCommands: false, collection: 'counters' },
);

/** Totals per counter stream, through the one revision guard. */
class CounterReadModel implements ProjectedReadModel {
  readonly name = 'counters';
  readonly version = 1;
  readonly categories = ['counter'];
  readonly counters: Model<CounterDocument>;

  constructor(connection: Connection) {
    this.counters = modelOn(connection, 'Counter', counterSchema);
  }

  async init(): Promise<void> {
    await this.counters.createIndexes();
  }

  async apply(event: RecordedEvent): Promise<ApplyResult> {
    const id = idOf(event.streamName);
    const data = event.data as { amount: number };
    const stored = event.revision === 0 ? null : await this.counters.findOne({ _id: id }).lean().exec();
    if (stored && stored.revision >= event.revision) return 'skipped';
    const outcome = await applyIfNewer(this.counters, id, event.revision, { total: (stored?.total ?? 0) + data.amount });
    return outcome === 'applied' ? 'applied' : 'skipped';
  }

  async reset(): Promise<void> {
    await this.counters.deleteMany({}).exec();
  }
}

const added = (amount: number) => ({ type: 'Added', data: { amount }, metadata: { eventId: randomUUID() } });

/** Waits until `check` holds (the shared harness's polling, every few ms). */
const until = (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30000) =>
  eventually(async () => ((await check()) ? true : undefined), { what, timeoutMs, intervalMs: 20 });


describe('Projector on the MongoDB wire server', () => {
  const { dbName } = isolatedMongoUri('projector');
  // The database goes away as the projector sees it: a proxy in front of it stops.
  const proxy = TcpOutageProxy.for(testInfra().mongo.uri, 27017);
  let connection: Connection;
  let store: EventStore;
  let projector: Projector | undefined;

  beforeAll(async () => {
    await proxy.start();
    connection = await mongoose
      .createConnection(`mongodb://127.0.0.1:${proxy.port}/`, { dbName, serverSelectionTimeoutMS: 500, heartbeatFrequencyMS: 500, socketTimeoutMS: 2000, bufferCommands: false })
      .asPromise();
  });

  beforeEach(() => {
    store = openTestEventStore();
  });

  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
    await store.close();
  });

  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await proxy.close();
  });

  const start = async (name: string, registry = new Registry()) => {
    const readModel = new CounterReadModel(connection.useDb(`${dbName}_${name}`, { useCache: true }));
    const bookkeeping = new MongoProjectionBookkeeping(connection.useDb(`${dbName}_${name}`, { useCache: true }));
    projector = new Projector(store, readModel, { bookkeeping, metrics: registry, initialDelayMs: 50, maxDelayMs: 500, poisonAttempts: 3, applyTimeoutMs: 3000 });
    await projector.start();
    return { readModel, bookkeeping, projector };
  };

  it('retries through a database outage and resumes with every event once it is back', async () => {
    const { readModel, projector } = await start('outage');
    await store.appendToStream('counter-a', [added(1)]);
    expect(await projector.catchUp(10_000)).toBe(true);

    await proxy.stop();
    for (let i = 0; i < 10; i++) await store.appendToStream(`counter-${i % 3 === 0 ? 'a' : 'b'}`, [added(i)]);
    await until(() => projector.state === 'retrying', 'retrying');
    const during = await projector.status();
    expect(during.state).toBe('retrying');
    expect(during.lastError?.message).toBeTruthy();
    expect(during.lagEvents).toBeGreaterThan(0);
    expect(await projector.catchUp(100)).toBe(false);

    await proxy.start();
    expect(await projector.catchUp(30_000)).toBe(true);
    expect(projector.state).toBe('running');
    const totals = Object.fromEntries((await readModel.counters.find({}).lean().exec()).map((d) => [d._id, d.total]));
    expect(totals).toEqual({ a: 1 + 0 + 3 + 6 + 9, b: 1 + 2 + 4 + 5 + 7 + 8 });
    expect((await projector.status()).parked).toBe(0);
  });

  it('parks an event the schema refuses and applies the events after it', async () => {
    const { readModel, bookkeeping, projector } = await start('poison');
    // An amount that is no number: the schema cannot cast the total, the same way every time,
    // while the server answers.
    await store.appendToStream('counter-big', [{ type: 'Added', data: { amount: 'lots' }, metadata: { eventId: randomUUID() } }]);
    await store.appendToStream('counter-small', [added(2), added(3)]);
    await store.appendToStream('counter-big', [added(4)]);
    expect(await projector.catchUp(60_000)).toBe(true);

    expect(await readModel.counters.findOne({ _id: 'small' }).lean().exec()).toMatchObject({ revision: 1, total: 5 });
    expect(await readModel.counters.findOne({ _id: 'big' }).lean().exec()).toBeNull();
    const parked = await bookkeeping.parked.find({ projection: 'counters' }).sort({ position: 1 }).lean().exec();
    expect(parked.map((p) => [p.streamName, p.revision, p.attempts])).toEqual([
      ['counter-big', 0, 3],
      ['counter-big', 1, 0],
    ]);
    expect((await projector.status()).parked).toBe(2);
  });

  it('changes nothing when every event is delivered again', async () => {
    const first = await start('redelivery');
    for (let i = 1; i <= 20; i++) await store.appendToStream(`counter-${i % 4}`, [added(i)]);
    expect(await first.projector.catchUp(10_000)).toBe(true);
    const before = await first.readModel.counters.find({}).sort({ _id: 1 }).lean().exec();
    await first.projector.stop();
    await first.bookkeeping.clearCheckpoint('counters');

    const again = await start('redelivery');
    expect(await again.projector.catchUp(10_000)).toBe(true);
    expect(await again.readModel.counters.find({}).sort({ _id: 1 }).lean().exec()).toEqual(before);
    expect(before.reduce((sum, d) => sum + d.total, 0)).toBe(210);
  });
});
