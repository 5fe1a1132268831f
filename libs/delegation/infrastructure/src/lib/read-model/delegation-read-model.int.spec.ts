import { BSON, MongoClient } from 'mongodb';
import { openTestEventStore, testInfra, uniqueName } from '@leadership/testing';
import type { EventStore } from '@leadership/event-store';
import { createDelegationParts, type DelegationParts } from '../delegation-parts';

/*
 * Issue #11 item 2: a proposal amended hundreds of times with a large framework made one 22 MB
 * read-model document (every version in an array). Versions now live one per document in
 * mandate_versions, so the current document's size does not depend on how often it changed,
 * and as-of questions still find each version.
 */
describe('delegation read model: bounded documents', () => {
  const client = new MongoClient(testInfra().mongo.uri);
  let store: EventStore;
  let services: DelegationParts;
  let clock = Date.parse('2026-05-04T08:00:00.000Z');
  const now = () => new Date(clock);

  beforeAll(async () => {
    await client.connect();
    store = openTestEventStore();
    services = createDelegationParts(store, client.db(uniqueName('bounded').replace(/-/g, '_')), now);
    await services.projector.start();
  });

  afterAll(async () => {
    await services.projector.stop();
    await services.db.dropDatabase();
    await store.close();
    await client.close();
  });

  it('keeps one document per version and a current document of constant size, however often a mandate is amended', async () => {
    const admin = { actorId: 'hr' };
    await services.directory.upsertUnit.execute({ id: 'claims', name: 'Claims', parentId: null, managerIds: ['m1'] }, admin);
    for (const id of ['m1', 'p1']) await services.directory.upsertPerson.execute({ id, displayName: id, email: `${id}@example.test`, locale: 'en', unitIds: ['claims'] }, admin);
    // About 24 KB of framework per version.
    const framework = (version: number) => ({
      rules: Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, text: `v${version} ${'Escalate conflicting priorities to the formal manager. '.repeat(11)}`, mode: 'warn' as const })),
      reservedDecisions: [],
      escalationContactId: 'm1',
    });
    const mandateId = '00000000-0000-4000-8000-0000000000b1';
    await services.mandates.propose.execute(
      {
        mandateId,
        delegateId: 'p1',
        taskType: 'coordination',
        scope: { unitId: 'claims' },
        direction: { purpose: 'Keep the overview', successCriteria: [] },
        framework: framework(0),
        authorities: ['tasks.view-all'],
        period: { from: new Date(clock + 86_400_000).toISOString(), until: new Date(clock + 30 * 86_400_000).toISOString() },
        reviewCadenceDays: 14,
      },
      { actorId: 'm1' },
    );
    const AMENDS = 40;
    const times: string[] = [now().toISOString()];
    for (let v = 1; v <= AMENDS; v++) {
      // Seven minutes apart: within the amendment rate limit (10 an hour) over the 40 amendments.
      clock += 7 * 60_000;
      times.push(now().toISOString());
      await services.mandates.amend.execute({ mandateId, changes: { framework: framework(v) } }, { actorId: 'm1' });
    }
    expect(await services.projector.catchUp(60_000)).toBe(true);

    const frameworkBytes = BSON.calculateObjectSize(framework(AMENDS));
    const current = await services.readModel.mandates.collection.findOne({ _id: mandateId } as never);
    expect(current).not.toBeNull();
    // State and snapshot each hold the framework once: a bound independent of the 41 versions.
    expect(BSON.calculateObjectSize(current ?? {})).toBeLessThan(3 * frameworkBytes);
    const versions = await services.readModel.mandateVersions.collection.find({ mandateId } as never).toArray();
    expect(versions).toHaveLength(AMENDS + 1);
    for (const version of versions) expect(BSON.calculateObjectSize(version)).toBeLessThan(2 * frameworkBytes);

    // As of the 7th amendment's time, the mandate had that framework.
    const [asOf] = await services.queries.mandatesAsOf({ _id: mandateId }, times[7] as string);
    expect(asOf?.version).toBe(7);
    expect(asOf?.framework.rules[0]?.text.startsWith('v7 ')).toBe(true);
    // Before the proposal it did not exist.
    expect(await services.queries.mandatesAsOf({ _id: mandateId }, new Date(Date.parse(times[0] as string) - 1).toISOString())).toEqual([]);

    // Now (at or after the last change): answered from the current document, no version read (issue #11).
    const versionReads = jest.spyOn(services.readModel.mandateVersions, 'find');
    try {
      const [latest] = await services.queries.mandatesAsOf({ _id: mandateId }, now().toISOString());
      expect(latest?.version).toBe(AMENDS);
      expect(latest?.framework.rules[0]?.text.startsWith(`v${AMENDS} `)).toBe(true);
      expect(versionReads).not.toHaveBeenCalled();
      expect((await services.queries.mandatesAsOf({ _id: mandateId }, times[AMENDS - 1] as string))[0]?.version).toBe(AMENDS - 1);
      expect(versionReads).toHaveBeenCalled();
    } finally {
      versionReads.mockRestore();
    }
  });
});
