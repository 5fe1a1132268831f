import type { EventStore } from '@leadership/event-store';
import { MissingTaskTypeTitleError, taskTypeStreamName, type TaskTypeDefinition } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { countingReads, eventsIn, now } from '../../../spec/delegation-world.fixture';
import { PutTaskTypeHandler } from './put-task-type.handler';

describe('PutTaskTypeHandler', () => {
  let store: EventStore;
  let handler: PutTaskTypeHandler;
  const admin = { actorId: 'admin' };
  const audit: TaskTypeDefinition = { key: 'audit', title: 'Audit', grantableAuthorities: ['audit.read'], exclusive: false, requiredScope: 'unit', maxPeriodDays: 90, allowsRedelegation: false };

  beforeEach(() => {
    store = openTestEventStore();
    handler = new PutTaskTypeHandler(store, now);
  });
  afterEach(() => store.close());

  it('defines a new type, then changes it, reading its stream once per command', async () => {
    const counted = countingReads(store);
    const counting = new PutTaskTypeHandler(counted.store, now);
    expect(await counting.execute(audit, admin)).toEqual({ definition: audit, version: 0, changed: true });
    expect(await counting.execute({ ...audit, maxPeriodDays: 30 }, admin)).toMatchObject({ version: 1, changed: true, definition: { maxPeriodDays: 30 } });
    expect((await eventsIn(store, taskTypeStreamName('audit'))).map((e) => e.type)).toEqual(['TaskTypeDefined', 'TaskTypeChanged']);
    expect(counted.reads.get(taskTypeStreamName('audit'))).toBe(2);
  });

  it('refuses a definition without a title', async () => {
    await expect(handler.execute({ ...audit, title: ' ' }, admin)).rejects.toThrow(MissingTaskTypeTitleError);
    expect(await eventsIn(store, taskTypeStreamName('audit'))).toEqual([]);
  });

  it('appends nothing for an unchanged definition', async () => {
    await handler.execute(audit, admin);
    expect(await handler.execute(audit, admin)).toEqual({ definition: audit, version: 0, changed: false });
    expect(await eventsIn(store, taskTypeStreamName('audit'))).toHaveLength(1);
  });
});
