import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { testInfra, uniqueName } from '@leadership/testing';
import { createDelegationParts, type DelegationParts } from '../delegation-parts';
import { MongoProjectionBookkeeping, mongooseConnectionFor, rebuildProjection } from '@leadership/projection';
import { DelegationReadModel } from './delegation-read-model';

/*
 * The read model depends only on the events: rebuilding it from the event store yields exactly
 * the documents the live projection wrote, however the live one interleaved with commands.
 */
describe('delegation read model rebuild', () => {
  const dir = mkdtempSync(join(tmpdir(), 'delegation-rebuild-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const client = new MongoClient(testInfra().mongo.uri);
  let services: DelegationParts;
  let clock = Date.parse('2026-03-01T08:00:00.000Z');
  const now = () => new Date(clock);

  beforeAll(async () => {
    await client.connect();
    services = createDelegationParts(store, client.db(uniqueName('live').replace(/-/g, '_')), now);
    await services.projector.start();
  });

  afterAll(async () => {
    await services.projector.stop();
    await store.close();
    await client.close();
  });

  it('rebuilds the same mandates, units and people documents as the live projection', async () => {
    const admin = { actorId: 'hr' };
    await services.directory.upsertUnit.execute({ id: 'root', name: 'Root', parentId: null, managerIds: ['ceo'] }, admin);
    await services.directory.upsertUnit.execute({ id: 'claims', name: 'Claims', parentId: 'root', managerIds: ['m1'] }, admin);
    const people = ['p1', 'p2', 'p3', 'p4', 'p5'];
    for (const id of [...people, 'm1']) {
      await services.directory.upsertPerson.execute({ id, displayName: id, email: `${id}@example.test`, locale: 'en-GB', unitIds: ['claims'] }, admin);
    }
    const ids: string[] = [];
    for (const [i, delegateId] of people.entries()) {
      const mandateId = `00000000-0000-4000-8000-00000000000${i}`;
      ids.push(mandateId);
      await services.mandates.propose.execute(
        {
          mandateId,
          delegateId,
          taskType: 'coordination',
          scope: { unitId: 'claims' },
          direction: { purpose: 'Keep the overview', successCriteria: [] },
          framework: { rules: [{ id: 'r', text: 'Escalate conflicts', mode: 'warn' }], reservedDecisions: [], escalationContactId: 'm1' },
          authorities: ['tasks.view-all'],
          period: { from: new Date(clock + 3_600_000).toISOString(), until: new Date(clock + 30 * 86_400_000).toISOString() },
          reviewCadenceDays: 14,
        },
        { actorId: 'm1' },
      );
      clock += 60_000;
    }
    for (const id of ids.slice(0, 4)) await services.mandates.accept.execute({ mandateId: id }, { actorId: people[ids.indexOf(id)]! });
    clock += 2 * 3_600_000;
    for (const id of ids.slice(0, 4)) await services.mandates.activate.execute({ mandateId: id, at: now().toISOString() }, { actorId: 'system:scheduler' });
    await services.mandates.suspend.execute({ mandateId: ids[0]!, reason: 'Parental leave' }, { actorId: 'm1' });
    await services.mandates.revoke.execute({ mandateId: ids[1]!, reason: 'Reorganisation' }, { actorId: 'm1' });
    await services.mandates.checkIn.execute({ mandateId: ids[2]!, note: 'All fine' }, { actorId: people[2]! });
    await services.directory.upsertUnit.execute({ id: 'claims', name: 'Claims & Benefits', parentId: 'root', managerIds: ['m1', 'm2'] }, admin);
    await services.mandates.decline.execute({ mandateId: ids[4]!, reason: 'Too much on my plate' }, { actorId: people[4]! });
    expect(await services.projector.catchUp(10_000)).toBe(true);

    const rebuiltConnection = mongooseConnectionFor(client.db(uniqueName('rebuilt').replace(/-/g, '_')));
    const rebuilt = new DelegationReadModel(rebuiltConnection);
    const progress: bigint[] = [];
    const report = await rebuildProjection(store, rebuilt, { bookkeeping: new MongoProjectionBookkeeping(rebuiltConnection), onProgress: (p) => progress.push(p.position) });
    expect(report.events).toBeGreaterThan(20);
    expect(report.parked).toBe(0);
    expect(progress.at(-1)).toBe(report.head);
    const collections = ['mandates', 'mandateVersions', 'units', 'unitVersions', 'people'] as const;
    const documents = async (model: DelegationReadModel) =>
      Object.fromEntries(await Promise.all(collections.map(async (name) => [name, await model[name].collection.find({}).sort({ _id: 1 }).toArray()] as const)));
    const live = await documents(services.readModel);
    expect(await documents(rebuilt)).toEqual(live);
    for (const name of collections) expect(live[name]?.length).toBeGreaterThan(0);

    // Redelivering every event over the rebuilt model changes nothing (revision guard), with a
    // cold cache (a fresh instance) as well as a warm one.
    const events = await store.readAll();
    const outcomes = [...(await Promise.all(events.map((e) => rebuilt.apply(e))))];
    for (const e of events) outcomes.push(await new DelegationReadModel(rebuiltConnection).apply(e));
    expect(outcomes.every((o) => o === 'skipped')).toBe(true);
    expect(await documents(rebuilt)).toEqual(live);

    // One document per version, in a collection of its own; the current document holds none.
    const versions = await rebuilt.mandateVersions.find({ mandateId: ids[0]! }).sort({ version: 1 }).lean().exec();
    expect(versions.map((v) => v.version)).toEqual([0, 1, 2, 3]);
    const mandate = await rebuilt.mandates.findOne({ _id: ids[0]! }).lean().exec();
    expect(mandate?.status).toBe('suspended');
    expect(mandate).not.toHaveProperty('history');
    // As-of answers come from the versions: before activation the mandate was accepted.
    const beforeActivation = new Date(clock - 3_600_000).toISOString();
    const asOf = await services.queries.mandatesAsOf({ _id: ids[0]! }, beforeActivation);
    expect(asOf.map((m) => [m.status, m.version])).toEqual([['accepted', 1]]);
  });
});
