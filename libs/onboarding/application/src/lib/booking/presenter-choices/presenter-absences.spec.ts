import { PresenterAbsentError, presenterDecider, presenterStreamName, type PersonChange } from '@leadership/onboarding-domain';
import { readAggregate } from '@leadership/event-store';
import { openTestEventStore } from '@leadership/testing';
import { BEN, CASE_MANAGER, CLEO, DAN, NINA, onboardingWorld, programmeSteps, UNIT } from '../../../spec/onboarding-world.fixture';

const ROLE_KEY = `${CASE_MANAGER.taskType}/${CASE_MANAGER.unitId}`;
/** The role session of the fixture's programme for a newcomer starting 2026-10-26: 2026-10-28 10:00–11:00 Stockholm. */
const SESSION = { from: '2026-10-28T09:00:00.000Z', to: '2026-10-28T10:00:00.000Z' };
const OVER_THE_SESSION = { from: '2026-10-27T00:00:00.000Z', to: '2026-10-30T00:00:00.000Z' };

/*
 * Presenter absences from the directory (use cases over a real SQLite event store): an absent person
 * is not asked and cannot confirm; a presenter who becomes absent for a session they were asked for
 * or confirmed on is released from it (slot freed, session without presenter) and the session moves
 * on to its next candidate — for a role, the holder's absence counts as their no.
 */
describe('presenter absences', () => {
  const clock = { now: new Date('2026-10-19T07:00:00.000Z') };
  const person = (personId: string, version: number, absences: { from: string; to: string }[]): PersonChange => ({ personId, version, unitIds: [UNIT], skills: [], absences, occurredAt: clock.now.toISOString() });

  async function world() {
    clock.now = new Date('2026-10-19T07:00:00.000Z');
    const store = openTestEventStore();
    const w = onboardingWorld(store, clock);
    w.authority.roles.set(ROLE_KEY, { personId: BEN, mandateId: 'mandate-cd-ben', mandateVersion: 3, deputyId: DAN });
    await w.programmes.execute({ programmeId: 'basics', unitId: UNIT, title: 'Basics', steps: programmeSteps }, { actorId: CLEO });
    return { store, ...w };
  }
  const newcomer = (w: Awaited<ReturnType<typeof world>>) => w.newcomers.execute({ personId: NINA, unitId: UNIT, startDate: '2026-10-26', timeZone: 'Europe/Stockholm', programmeIds: ['basics'] }, { actorId: CLEO });

  it('does not ask an absent holder: the booking waits for the organiser with the absence named', async () => {
    const w = await world();
    await w.directory.onPersonChanged(person(BEN, 1, [OVER_THE_SESSION]), {});
    const created = await newcomer(w);
    expect(created.bookings[0]).toMatchObject({ bookingId: null, problem: { rule: 'presenter.absent' } });
    await expect(w.presenters.execute({ sessionId: created.bookings[0]?.sessionId ?? '', address: { personId: BEN } }, { actorId: CLEO })).rejects.toThrow(PresenterAbsentError);
    // An absence that ends before the session does not count.
    await w.directory.onPersonChanged(person(BEN, 2, [{ from: '2026-10-27T00:00:00.000Z', to: SESSION.from }]), {});
    const asked = await w.presenters.execute({ sessionId: created.bookings[0]?.sessionId ?? '', address: { personId: BEN } }, { actorId: CLEO });
    expect(asked.booking.status).toBe('requested');
  });

  it('refuses the accept of a person who became absent meanwhile, without touching their calendar', async () => {
    const w = await world();
    const created = await newcomer(w);
    await w.people.save({ personId: BEN, version: 1, unitIds: [UNIT], skills: [], absences: [OVER_THE_SESSION] });
    await expect(w.answers.accept(created.bookings[0]?.bookingId ?? '', { actorId: BEN })).rejects.toThrow(PresenterAbsentError);
    expect((await readAggregate(w.store, presenterDecider, presenterStreamName(BEN))).state.slots).toEqual([]);
  });

  it('releases a confirmed presenter who becomes absent for the session and asks the next candidate (the deputy)', async () => {
    const w = await world();
    const created = await newcomer(w);
    const { sessionId, bookingId } = created.bookings[0] ?? { sessionId: '', bookingId: '' };
    await w.answers.accept(bookingId ?? '', { actorId: BEN });
    expect(await w.directory.onPersonChanged(person(BEN, 1, [OVER_THE_SESSION]), { causationId: 'ce-absence' })).toMatchObject({ releasedAbsent: 1 });
    await w.board.catchUp();
    expect(w.board.booking(bookingId ?? '')).toMatchObject({ status: 'released', releaseCause: 'presenter-absent' });
    expect((await readAggregate(w.store, presenterDecider, presenterStreamName(BEN))).state.slots).toEqual([]);
    expect(w.board.session(sessionId)).toMatchObject({ presenterId: null, bookingId: null });
    expect(w.board.bookingsOfSession(sessionId).map((b) => [b.personId, b.status, b.resolution.basis === 'role' ? b.resolution.standIn : null])).toEqual([
      [BEN, 'released', undefined],
      [DAN, 'requested', 'deputy'],
    ]);
    // Redelivered, and the worker's pass after it: nothing more.
    expect(await w.directory.onPersonChanged(person(BEN, 1, [OVER_THE_SESSION]), {})).toMatchObject({ decision: { kind: 'stale' }, releasedAbsent: 0 });
    expect(await w.reminders.pass()).toMatchObject({ releasedAbsent: 0, movedOn: 0 });
  });

  it('releases an unanswered request too; an absence the consumer did not act on (a crash) is acted on by the next pass', async () => {
    const w = await world();
    const created = await newcomer(w);
    const { sessionId, bookingId } = created.bookings[0] ?? { sessionId: '', bookingId: '' };
    // The projection has the absence, the releases did not run.
    await w.people.save({ personId: BEN, version: 1, unitIds: [UNIT], skills: [], absences: [OVER_THE_SESSION] });
    expect(await w.reminders.pass()).toMatchObject({ releasedAbsent: 1, movedOn: 0 });
    await w.board.catchUp();
    expect(w.board.booking(bookingId ?? '')?.status).toBe('released');
    expect(w.board.openBookingOf(sessionId)).toMatchObject({ personId: DAN, status: 'requested' });
  });

  it('leaves bookings alone when the absence does not cover the session', async () => {
    const w = await world();
    const created = await newcomer(w);
    await w.answers.accept(created.bookings[0]?.bookingId ?? '', { actorId: BEN });
    expect(await w.directory.onPersonChanged(person(BEN, 1, [{ from: SESSION.to, to: '2026-10-30T00:00:00.000Z' }]), {})).toMatchObject({ releasedAbsent: 0 });
    await w.board.catchUp();
    expect(w.board.booking(created.bookings[0]?.bookingId ?? '')?.status).toBe('confirmed');
  });
});
