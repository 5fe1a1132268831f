import type { EventStore } from '@leadership/event-store';
import { unitStreamName } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { countingReads, eventsIn, givenDirectory, now } from '../../../spec/delegation-world.fixture';
import { DirectoryRowRejectedError } from '../directory-upsert';
import { UpsertUnitHandler } from './upsert-unit.handler';

describe('UpsertUnitHandler', () => {
  let store: EventStore;
  let handler: UpsertUnitHandler;
  const hr = { actorId: 'hr' };
  const motor = { id: 'motor', name: 'Motor claims', parentId: 'claims', managerIds: ['m2'] };

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new UpsertUnitHandler(store, now);
    await givenDirectory(store);
  });
  afterEach(() => store.close());

  it('registers a new unit, then records what changed', async () => {
    expect(await handler.execute(motor, hr)).toEqual({ outcome: 'created', version: 0, value: motor });
    expect(await handler.execute({ ...motor, managerIds: ['m3'] }, hr)).toMatchObject({ outcome: 'updated', version: 1 });
    expect((await eventsIn(store, unitStreamName('motor'))).map((e) => e.type)).toEqual(['UnitRegistered', 'UnitManagersChanged']);
  });

  it('refuses a unit whose parent is unknown, writing nothing', async () => {
    await expect(handler.execute({ ...motor, parentId: 'nowhere' }, hr)).rejects.toThrow(DirectoryRowRejectedError);
    await expect(handler.execute({ ...motor, parentId: 'nowhere' }, hr)).rejects.toMatchObject({ rule: 'directory.unknown-parent' });
    expect(await eventsIn(store, unitStreamName('motor'))).toEqual([]);
  });

  it('appends nothing for an unchanged unit and reports its current version', async () => {
    await handler.execute(motor, hr);
    await handler.execute({ ...motor, name: 'Motor' }, hr);
    expect(await handler.execute({ ...motor, name: 'Motor' }, hr)).toEqual({ outcome: 'unchanged', version: 1, value: { ...motor, name: 'Motor' } });
    expect(await eventsIn(store, unitStreamName('motor'))).toHaveLength(2);
  });

  it('refuses a parent below the unit (a cycle), found by walking up from the new parent', async () => {
    await handler.execute(motor, hr);
    await expect(handler.execute({ id: 'claims', name: 'claims', parentId: 'motor', managerIds: ['m1'] }, hr)).rejects.toMatchObject({ rule: 'directory.unit-cycle' });
    expect(await eventsIn(store, unitStreamName('claims'))).toHaveLength(1);
  });

  it('decides on the unit and the units above its parent only, however large the directory (issue #11)', async () => {
    for (let i = 0; i < 50; i++) await handler.execute({ id: `other-${i}`, name: `Other ${i}`, parentId: 'root', managerIds: [] }, hr);
    const counted = countingReads(store);
    await new UpsertUnitHandler(counted.store, now).execute(motor, hr);
    // The unit's own stream (planned, then appended by handleCommand) and its parent chain; never the log.
    expect(Object.fromEntries(counted.reads)).toEqual({ [unitStreamName('motor')]: 2, [unitStreamName('claims')]: 1, [unitStreamName('root')]: 1 });
  });
});
