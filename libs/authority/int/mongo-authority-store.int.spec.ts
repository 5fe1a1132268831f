import { MongoClient, type Db } from 'mongodb';
import { MandateChanged, type MandateSnapshot } from '@leadership/delegation-contracts';
import { AuthorityProjection, MongoAuthorityStore, type AuthorityMandateDocument } from '@leadership/authority';
import { isolatedMongoUri } from '@leadership/testing';

/*
 * The MongoDB store on the real FerretDB (or MongoDB) of the test harness: version-guarded
 * single-document writes, racing writers, the stored shape, change reads, warm load.
 */
const example = MandateChanged.examples[0]!.mandate;
const snapshot = (overrides: Partial<MandateSnapshot> = {}): MandateSnapshot => ({ ...example, ...overrides });

describe('MongoAuthorityStore (real MongoDB wire)', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    const location = isolatedMongoUri('authority_store');
    client = await MongoClient.connect(location.uri);
    db = client.db(location.dbName);
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('applies only newer versions and stores the documented shape', async () => {
    const store = await MongoAuthorityStore.open(db);
    const id = 'mandate-shape';
    const v2 = snapshot({ mandateId: id, scope: { unitId: 'unit-claims' } });

    expect(await store.saveMandate({ version: 2, mandate: v2 })).toBe('applied');
    expect(await store.saveMandate({ version: 1, mandate: snapshot({ mandateId: id, status: 'proposed' }) })).toBe('stale');
    expect(await store.saveMandate({ version: 2, mandate: snapshot({ mandateId: id, status: 'proposed' }) })).toBe('stale');

    const doc = await db.collection<AuthorityMandateDocument>('authority_mandates').findOne({ _id: id });
    expect(doc).toMatchObject({ _id: id, version: 2, delegateId: v2.delegateId, unitId: 'unit-claims', projectedAt: expect.any(Date) });
    // Round trip exact: optional fields stay absent, nulls stay null.
    expect(await store.findMandate(id)).toEqual({ version: 2, mandate: v2 });
    expect(doc?.snapshot.scope).not.toHaveProperty('queueId');

    expect(await store.saveMandate({ version: 3, mandate: snapshot({ mandateId: id, status: 'suspended' }) })).toBe('applied');
    expect((await store.findMandate(id))?.mandate.status).toBe('suspended');
  });

  it('ends at the highest version when writers race, each write either applied or stale', async () => {
    const store = await MongoAuthorityStore.open(db);
    const versions = [5, 1, 9, 3, 9, 7, 2, 8, 4, 6, 0];
    const outcomes = await Promise.all(
      versions.map((version) => store.saveUnit({ unitId: 'unit-race', version, parentId: null, managerIds: [`manager-${version}`] })),
    );

    expect(outcomes.every((o) => o === 'applied' || o === 'stale')).toBe(true);
    expect(outcomes.filter((o) => o === 'applied').length).toBeGreaterThanOrEqual(1);
    expect(await store.findUnit('unit-race')).toEqual({ unitId: 'unit-race', version: 9, parentId: null, managerIds: ['manager-9'] });
  });

  it('reads what changed since a time, and a restarted projection warm-loads the same answers', async () => {
    let now = new Date('2030-01-01T00:00:00.000Z');
    const store = await MongoAuthorityStore.open(db, { collections: { mandates: 'warm_mandates', units: 'warm_units' }, now: () => now });
    const first = new AuthorityProjection(store);
    await first.load();
    await first.applyUnitChanged({ unitId: 'unit-claims', version: 0, name: 'Claims', parentId: null, managerIds: ['person-manager-1'], removedManagerIds: [], occurredAt: now.toISOString() });
    now = new Date('2030-01-01T00:05:00.000Z');
    await first.applyMandateChanged({ ...MandateChanged.examples[0]!, version: 2 });

    const changes = await store.readChanges(new Date('2030-01-01T00:01:00.000Z'));
    expect(changes.units).toEqual([]);
    expect(changes.mandates.map((m) => m.mandate.mandateId)).toEqual([example.mandateId]);

    const restarted = new AuthorityProjection(store);
    await restarted.load();
    const question = { personId: example.delegateId, authority: 'cases.assign', unitId: 'unit-claims', queueId: 'queue-motor', at: '2026-03-01T00:00:00.000Z' };
    expect(restarted.may(question)).toEqual(first.may(question));
    expect(restarted.may(question)).toMatchObject({ allowed: true, basis: 'mandate', mandateVersion: 2 });
  });
});
