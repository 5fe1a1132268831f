import type { EventStore } from '@leadership/event-store';
import { unitStreamName } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { eventsIn, givenDirectory, now } from '../../../spec/delegation-world.fixture';
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
});
