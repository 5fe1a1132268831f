import { PersonChanged } from '@leadership/delegation-contracts';
import { SetPersonAbsencesHandler, UpsertPersonHandler, UpsertUnitHandler } from '@leadership/delegation-application';
import { openTestEventStore } from '@leadership/testing';
import { delegationAggregateStates, delegationIntegrationEvents } from './delegation-integration-events';

describe('delegation integration events: PersonChanged', () => {
  it('publishes the person after each change with skills and absence periods, never names, e-mail addresses or absence ids', async () => {
    const store = openTestEventStore();
    const now = () => new Date('2026-04-01T09:00:00.000Z');
    const hr = { actorId: 'hr' };
    await new UpsertUnitHandler(store, now).execute({ id: 'claims', name: 'Claims', parentId: null, managerIds: ['m1'] }, hr);
    const person = { id: 'p1', displayName: 'Ada Lovelace', email: 'ada@example.test', locale: 'en-GB', unitIds: ['claims'] };
    await new UpsertPersonHandler(store, now).execute(person, hr);
    await new UpsertPersonHandler(store, now).execute({ ...person, skills: ['motor', 'de'] }, hr);
    await new SetPersonAbsencesHandler(store, now).execute({ personId: 'p1', absences: [{ absenceId: 'summer', from: '2026-07-01T00:00:00+02:00', to: '2026-07-15T00:00:00+02:00' }] }, { actorId: 'p1' });

    const tracker = delegationAggregateStates(store);
    const published = [];
    for (const event of (await store.readAll()).filter((e) => e.streamName === 'person-p1')) {
      for (const message of delegationIntegrationEvents(event, await tracker.stateAfter(event))) {
        expect(message.contract).toBe(PersonChanged);
        published.push(PersonChanged.parse(message.data));
      }
    }
    expect(published).toEqual([
      { personId: 'p1', version: 0, locale: 'en-GB', unitIds: ['claims'], skills: [], absences: [], occurredAt: '2026-04-01T09:00:00.000Z' },
      { personId: 'p1', version: 1, locale: 'en-GB', unitIds: ['claims'], skills: ['de', 'motor'], absences: [], occurredAt: '2026-04-01T09:00:00.000Z' },
      { personId: 'p1', version: 2, locale: 'en-GB', unitIds: ['claims'], skills: ['de', 'motor'], absences: [{ from: '2026-06-30T22:00:00.000Z', to: '2026-07-14T22:00:00.000Z' }], occurredAt: '2026-04-01T09:00:00.000Z' },
    ]);
    expect(JSON.stringify(published)).not.toMatch(/Ada|ada@|summer/);
    await store.close();
  });
});
