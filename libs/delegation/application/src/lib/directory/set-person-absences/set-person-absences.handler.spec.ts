import type { EventStore } from '@leadership/event-store';
import { personStreamName } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { DELEGATE, eventsIn, givenDirectory, now, NOW } from '../../../spec/delegation-world.fixture';
import { SetPersonAbsencesHandler } from './set-person-absences.handler';

describe('SetPersonAbsencesHandler', () => {
  let store: EventStore;
  let handler: SetPersonAbsencesHandler;
  const self = { actorId: DELEGATE };
  const summer = { from: '2026-07-01T00:00:00+02:00', to: '2026-07-15T00:00:00+02:00' };

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new SetPersonAbsencesHandler(store, now);
    await givenDirectory(store);
  });
  afterEach(() => store.close());

  it('records the periods with derived ids, and nothing when the same periods come again', async () => {
    const first = await handler.execute({ personId: DELEGATE, absences: [summer, { absenceId: 'course-1', from: '2026-05-04T08:00:00Z', to: '2026-05-04T17:00:00Z' }] }, self);
    expect(first).toMatchObject({ version: 1, changed: true });
    expect(first.absences.map((a) => a.absenceId)).toEqual(['course-1', expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    const events = await eventsIn(store, personStreamName(DELEGATE));
    expect(events[1]).toEqual({ type: 'PersonAbsencesChanged', data: { personId: DELEGATE, absences: first.absences, actorId: DELEGATE, at: NOW } });
    // The same summer in UTC: the same derived id, nothing to record.
    const again = await handler.execute({ personId: DELEGATE, absences: [{ from: '2026-06-30T22:00:00Z', to: '2026-07-14T22:00:00Z' }, { absenceId: 'course-1', from: '2026-05-04T08:00:00Z', to: '2026-05-04T17:00:00Z' }] }, self);
    expect(again).toEqual({ ...first, changed: false });
    expect(await eventsIn(store, personStreamName(DELEGATE))).toHaveLength(2);
  });

  it('refuses a stale version, and a person the directory does not know', async () => {
    await expect(handler.execute({ personId: DELEGATE, absences: [summer], expectedVersion: 3 }, self)).rejects.toMatchObject({ name: 'WrongExpectedRevisionError' });
    await expect(handler.execute({ personId: 'nobody', absences: [summer] }, self)).rejects.toMatchObject({ rule: 'directory.unknown-person' });
    expect(await eventsIn(store, personStreamName(DELEGATE))).toHaveLength(1);
  });
});
