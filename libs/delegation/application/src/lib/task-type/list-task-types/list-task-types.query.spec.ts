import type { EventStore } from '@leadership/event-store';
import { DEFAULT_TASK_TYPES, taskTypeStreamName } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { given } from '../../../spec/delegation-world.fixture';
import { ListTaskTypesQuery } from './list-task-types.query';

describe('ListTaskTypesQuery', () => {
  let store: EventStore;
  const at = '2026-01-01T00:00:00.000Z';
  const audit = { key: 'audit', title: 'Audit', grantableAuthorities: ['audit.read'], exclusive: false, requiredScope: 'unit', maxPeriodDays: 90, allowsRedelegation: false } as const;

  beforeEach(() => (store = openTestEventStore()));
  afterEach(() => store.close());

  it('lists the defaults when no admin changed the catalogue', async () => {
    expect((await new ListTaskTypesQuery(store).execute()).map((t) => t.key)).toEqual(DEFAULT_TASK_TYPES.map((t) => t.key).sort());
  });

  it('adds defined types and shows changed defaults as changed', async () => {
    await given(store, taskTypeStreamName('audit'), [{ type: 'TaskTypeDefined', data: { definition: audit, actorId: 'admin', at } }]);
    await given(store, taskTypeStreamName('onboarding'), [
      { type: 'TaskTypeDefined', data: { definition: { ...DEFAULT_TASK_TYPES.find((t) => t.key === 'onboarding'), title: 'Induction' }, actorId: 'admin', at } },
    ]);
    const listed = await new ListTaskTypesQuery(store).execute();
    expect(listed.find((t) => t.key === 'audit')).toEqual(audit);
    expect(listed.find((t) => t.key === 'onboarding')?.title).toBe('Induction');
    expect(listed).toHaveLength(DEFAULT_TASK_TYPES.length + 1);
  });
});
