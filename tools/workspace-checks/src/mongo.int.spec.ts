import mongoose, { Schema, type Connection } from 'mongoose';
import { loadInfraConfig } from '@leadership/local-infra';
import { applyIfNewer, DuplicateKeyError, translateMongoError } from '@leadership/projection';
import { isolatedMongoUri, testInfra } from '@leadership/testing';

/*
 * Proves the store speaks the MongoDB wire protocol for real: a unique index enforced by the
 * server, and an upsert guarded by a revision that is idempotent under redelivery. Locally the
 * server is FerretDB on PostgreSQL (FERRETDB_HANDLER=sqlite: on SQLite), with containers MongoDB.
 */
interface Person {
  _id: string;
  email: string;
  name: string;
  revision: number;
}

describe('MongoDB wire protocol (FerretDB or MongoDB)', () => {
  let connection: Connection;
  const { uri } = isolatedMongoUri('smoke');
  const schema = new Schema<Person>({
    _id: { type: String, required: true },
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    revision: { type: Number, required: true },
  });

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
    await connection.model<Person>('Person', schema).init();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('is the server the harness is configured for', async () => {
    const admin = connection.db!.admin();
    const info = await admin.command({ buildInfo: 1 });
    if (testInfra().mode === 'containers') {
      expect(info['ferretdbVersion']).toBeUndefined();
      return;
    }
    const log = await admin.command({ getLog: 'startupWarnings' });
    const powered = (log['log'] as string[]).map((line) => (JSON.parse(line) as { msg: string }).msg).find((m) => m.startsWith('Powered by FerretDB'));
    const backend = { postgresql: 'PostgreSQL', sqlite: 'SQLite' }[loadInfraConfig().ferretdbHandler];
    expect(powered).toContain(` and ${backend} `);
  });

  it('enforces a unique index and surfaces the violation as a typed error', async () => {
    const People = connection.model<Person>('Person');
    await People.create({ _id: 'p1', email: 'ada@example.test', name: 'Ada', revision: 1 });
    const attempt = People.create({ _id: 'p2', email: 'ada@example.test', name: 'Other', revision: 1 }).catch((e: unknown) => {
      throw translateMongoError(e);
    });
    await expect(attempt).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(People.countDocuments()).resolves.toBe(1);
  });

  it('applies a revision-guarded upsert once, however often it is redelivered', async () => {
    const People = connection.model<Person>('Person');
    const apply = (revision: number, name: string) => applyIfNewer(People, 'p3', revision, { name, email: 'p3@example.test' });

    await expect(apply(1, 'Grace')).resolves.toBe('applied');
    await expect(apply(1, 'Grace (redelivered)')).resolves.toBe('stale');
    await expect(apply(2, 'Grace Hopper')).resolves.toBe('applied');
    await expect(apply(1, 'stale')).resolves.toBe('stale');
    const doc = await People.findOne({ _id: 'p3' }).lean().exec();
    expect(doc).toMatchObject({ name: 'Grace Hopper', revision: 2 });
  });

  it('keeps the highest revision when guarded upserts of one document race', async () => {
    const People = connection.model<Person>('Person');
    for (let round = 0; round < 3; round++) {
      const id = `race-${round}`;
      const revisions = [5, 1, 9, 3, 9, 7, 2, 8, 4, 6, 0];
      const outcomes = await Promise.all(revisions.map((r) => applyIfNewer(People, id, r, { name: `v${r}`, email: `${id}-${r}@example.test` })));
      expect(outcomes.filter((o) => o === 'applied').length).toBeGreaterThanOrEqual(1);
      expect(await People.findOne({ _id: id }).lean().exec()).toMatchObject({ revision: 9, name: 'v9' });
    }
  });
});
