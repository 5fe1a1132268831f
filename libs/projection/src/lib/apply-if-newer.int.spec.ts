import mongoose, { Schema, type Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { isolatedMongoUri } from '@leadership/testing';
import { applyAllIfNewer, applyIfNewer, type GuardedTarget } from './apply-if-newer';
import { modelOn } from './model-on';

/*
 * The revision guard on the real MongoDB wire server, through each kind of target a caller may
 * hold: a mongoose model, the model's collection, a driver collection; numbers and bigints.
 */
interface Row {
  _id: string;
  revision: number;
  name: string;
}

describe('applyIfNewer', () => {
  const { uri } = isolatedMongoUri('guard');
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  const targets = (): [string, GuardedTarget<Row>][] => {
    const model = modelOn(connection, 'GuardRow', new Schema<Row>({ _id: String, revision: Number, name: String }, { versionKey: false }));
    const db = connection.db;
    if (!db) throw new Error('no database');
    return [
      ['a mongoose model', model],
      ["the model's collection", model.collection as unknown as Collection<Row>],
      ['a driver collection', db.collection<Row>('guard_rows_driver')],
    ];
  };

  it.each([0, 1, 2])('writes only newer revisions, idempotently (target %#)', async (index) => {
    const [, target] = targets()[index] as [string, GuardedTarget<Row>];
    const id = `row-${index}`;
    await expect(applyIfNewer(target, id, 1, { name: 'first' })).resolves.toBe('applied');
    await expect(applyIfNewer(target, id, 1, { name: 'redelivered' })).resolves.toBe('stale');
    await expect(applyIfNewer(target, id, 3, { name: 'third' })).resolves.toBe('applied');
    await expect(applyIfNewer(target, id, 2, { name: 'late' })).resolves.toBe('stale');
    const collection = typeof target === 'function' ? target.collection : target;
    expect(await collection.findOne({ _id: id } as never)).toMatchObject({ revision: 3, name: 'third' });
  });

  it('with upsert: false updates an existing document only, and creates none', async () => {
    const [, target] = targets()[2] as [string, GuardedTarget<Row>];
    await expect(applyIfNewer(target, 'absent', 2, { name: 'late' }, { upsert: false })).resolves.toBe('stale');
    await applyIfNewer(target, 'present', 0, { name: 'planned' });
    await expect(applyIfNewer(target, 'present', 1, { name: 'sent' }, { upsert: false })).resolves.toBe('applied');
    await expect(applyIfNewer(target, 'present', 1, { name: 'again' }, { upsert: false })).resolves.toBe('stale');
    const collection = target as Collection<Row>;
    expect(await collection.findOne({ _id: 'absent' } as never)).toBeNull();
    expect(await collection.findOne({ _id: 'present' } as never)).toMatchObject({ revision: 1, name: 'sent' });
  });

  it('applyAllIfNewer: inserts the creations together, guards the rest, and tells each outcome', async () => {
    const db = connection.db;
    if (!db) throw new Error('no database');
    const rows = db.collection<Row>('guard_rows_all');
    await rows.insertMany([
      { _id: 'created-before', revision: 1, name: 'stored' },
      { _id: 'created-newer', revision: 9, name: 'newer' },
      { _id: 'existing', revision: 2, name: 'stored' },
      { _id: 'current', revision: 5, name: 'current' },
    ]);
    const outcomes = await applyAllIfNewer(
      rows,
      [
        { id: 'new-1', revision: 3, set: { name: 'one' }, create: true },
        { id: 'created-before', revision: 3, set: { name: 'replayed creation' }, create: true },
        { id: 'created-newer', revision: 3, set: { name: 'late creation' }, create: true },
        { id: 'new-2', revision: 4, set: { name: 'two' }, create: true },
        { id: 'existing', revision: 3, set: { name: 'updated' } },
        { id: 'current', revision: 4, set: { name: 'late update' } },
        { id: 'absent', revision: 4, set: { name: 'nowhere' } },
      ],
      { upsert: false },
    );
    expect(Object.fromEntries(outcomes)).toEqual({
      'new-1': 'applied',
      'new-2': 'applied',
      'created-before': 'applied',
      'created-newer': 'stale',
      existing: 'applied',
      current: 'stale',
      absent: 'stale',
    });
    const stored = Object.fromEntries((await rows.find({}).toArray()).map((row) => [row._id, [row.revision, row.name]]));
    expect(stored).toEqual({
      'new-1': [3, 'one'],
      'new-2': [4, 'two'],
      'created-before': [3, 'replayed creation'],
      'created-newer': [9, 'newer'],
      existing: [3, 'updated'],
      current: [5, 'current'],
    });
    // The same call again changes nothing.
    const again = await applyAllIfNewer(rows, [{ id: 'new-1', revision: 3, set: { name: 'one' }, create: true }, { id: 'existing', revision: 3, set: { name: 'updated' } }], { upsert: false });
    expect([...again.values()]).toEqual(['stale', 'stale']);
    await expect(applyAllIfNewer(rows, [{ id: 'x', revision: 1, set: {} }, { id: 'x', revision: 2, set: {} }])).rejects.toThrow(/written twice/);
  });

  it('keeps the highest 64-bit position when writers race', async () => {
    const db = connection.db;
    if (!db) throw new Error('no database');
    const checkpoints = db.collection<{ _id: string; position: bigint; at: string }>('guard_positions');
    const positions = [5n, 2n ** 40n, 9n, 2n ** 40n + 1n, 3n, 2n ** 40n - 1n];
    await Promise.all(positions.map((p) => applyIfNewer(checkpoints, 'relay', p, { at: String(p) }, { field: 'position' })));
    const stored = await checkpoints.findOne({ _id: 'relay' }, { useBigInt64: true });
    expect(stored).toMatchObject({ position: 2n ** 40n + 1n, at: String(2n ** 40n + 1n) });
  });
});
