import type { EventStore } from '@leadership/event-store';
import { personStreamName, unitStreamName } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { countingReads, eventsIn, givenDirectory, now } from '../../../spec/delegation-world.fixture';
import { DirectoryRowRejectedError } from '../directory-upsert';
import { UpsertPersonHandler } from './upsert-person.handler';

describe('UpsertPersonHandler', () => {
  let store: EventStore;
  let handler: UpsertPersonHandler;
  const hr = { actorId: 'hr' };
  const newcomer = { id: 'n1', displayName: 'New Comer', email: 'n1@example.test', locale: 'de-CH', unitIds: ['claims'] };

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new UpsertPersonHandler(store, now);
    await givenDirectory(store);
  });
  afterEach(() => store.close());

  it('registers a person, then records the change', async () => {
    expect(await handler.execute(newcomer, hr)).toEqual({ outcome: 'created', version: 0, value: newcomer });
    expect(await handler.execute({ ...newcomer, unitIds: ['claims', 'root'] }, hr)).toMatchObject({ outcome: 'updated', version: 1 });
    expect((await eventsIn(store, personStreamName('n1'))).map((e) => e.type)).toEqual(['PersonRegistered', 'PersonChanged']);
  });

  it('refuses membership of an unknown unit', async () => {
    await expect(handler.execute({ ...newcomer, unitIds: ['nowhere'] }, hr)).rejects.toThrow(DirectoryRowRejectedError);
    expect(await eventsIn(store, personStreamName('n1'))).toEqual([]);
  });

  it('appends nothing for an unchanged person', async () => {
    await handler.execute(newcomer, hr);
    expect(await handler.execute(newcomer, hr)).toEqual({ outcome: 'unchanged', version: 0, value: newcomer });
    expect(await eventsIn(store, personStreamName('n1'))).toHaveLength(1);
  });

  it('decides on the person and the units they join only, however large the directory (issue #11)', async () => {
    for (let i = 0; i < 50; i++) await handler.execute({ ...newcomer, id: `other-${i}`, email: `other-${i}@example.test` }, hr);
    const counted = countingReads(store);
    await new UpsertPersonHandler(counted.store, now).execute({ ...newcomer, unitIds: ['claims', 'root'] }, hr);
    expect(Object.fromEntries(counted.reads)).toEqual({ [personStreamName('n1')]: 2, [unitStreamName('claims')]: 1, [unitStreamName('root')]: 1 });
  });

  it('keeps skills an upsert leaves out, and records a change of skills', async () => {
    await handler.execute({ ...newcomer, skills: ['motor', 'de'] }, hr);
    expect(await handler.execute(newcomer, hr)).toMatchObject({ outcome: 'unchanged', version: 0 });
    expect(await handler.execute({ ...newcomer, skills: ['de'] }, hr)).toMatchObject({ outcome: 'updated', version: 1 });
    expect((await eventsIn(store, personStreamName('n1')))[1]).toMatchObject({ type: 'PersonChanged', data: { changes: { skills: ['de'] }, previous: { skills: ['de', 'motor'] } } });
  });
});
