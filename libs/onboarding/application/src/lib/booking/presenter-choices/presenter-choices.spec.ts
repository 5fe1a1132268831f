import { PresenterDeclinedSessionError, successorBookingId, unitOverview, type StepInput } from '@leadership/onboarding-domain';
import { openTestEventStore } from '@leadership/testing';
import { ANA, BEN, CASE_MANAGER, CLEO, DAN, NINA, onboardingWorld, programmeSteps, UNIT } from '../../../spec/onboarding-world.fixture';
import { PresenterUnresolvableError } from '../../shared/onboarding-commands';

const OTTO = 'person-otto';
const EVE = 'person-eve';
const ROLE_KEY = `${CASE_MANAGER.taskType}/${CASE_MANAGER.unitId}`;
const START = '2026-10-26';
const zone = 'Europe/Stockholm';

/*
 * A declined or expired request moves on to the next candidate (use cases over a real SQLite event
 * store): a role to the holder's deputy, then the formal manager; a skill to the next person with it
 * who may be asked; a named person to nobody. Nobody who said no to the session, is absent or is
 * confirmed elsewhere then is asked, and every request carries the organiser's stamp.
 */
describe('the next candidate after a decline or an expiry', () => {
  const clock = { now: new Date('2026-10-19T07:00:00.000Z') };

  async function world(steps: StepInput[] = programmeSteps, deputyId: string | null = DAN) {
    clock.now = new Date('2026-10-19T07:00:00.000Z');
    const store = openTestEventStore();
    const w = onboardingWorld(store, clock);
    w.authority.roles.set(ROLE_KEY, { personId: BEN, mandateId: 'mandate-cd-ben', mandateVersion: 3, deputyId });
    await w.programmes.execute({ programmeId: 'basics', unitId: UNIT, title: 'Basics', steps }, { actorId: CLEO });
    return { store, ...w };
  }
  const newcomer = (w: Awaited<ReturnType<typeof world>>, personId = NINA, programmeIds = ['basics']) =>
    w.newcomers.execute({ personId, unitId: UNIT, startDate: START, timeZone: zone, programmeIds }, { actorId: CLEO });
  const requestsOf = async (w: Awaited<ReturnType<typeof world>>, sessionId: string) => {
    await w.board.catchUp();
    return w.board
      .bookingsOfSession(sessionId)
      .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))
      .map((b) => [b.personId, b.status, b.resolution.basis === 'role' ? (b.resolution.standIn ?? 'holder') : b.resolution.basis]);
  };

  describe('a role slot', () => {
    it('goes from the declining holder to the deputy on their mandate, then to the formal manager, then to nobody', async () => {
      const w = await world();
      const created = await newcomer(w);
      const { sessionId, bookingId } = created.bookings[0] ?? { sessionId: '', bookingId: '' };
      await w.answers.decline(bookingId ?? '', 'on a course that week', { actorId: BEN });
      expect(await requestsOf(w, sessionId)).toEqual([
        [BEN, 'declined', 'holder'],
        [DAN, 'requested', 'deputy'],
      ]);
      const danBooking = w.board.booking(successorBookingId(bookingId ?? ''));
      // Asked on the organiser's authority, standing in for Ben's mandate.
      expect(danBooking).toMatchObject({ personId: DAN, stamp: { basis: 'mandate', mandateId: 'mandate-onboarding', actorId: CLEO }, resolution: { basis: 'role', role: CASE_MANAGER, mandateId: 'mandate-cd-ben', standIn: 'deputy' } });
      await w.answers.decline(danBooking?.bookingId ?? '', 'not my area', { actorId: DAN });
      expect(await requestsOf(w, sessionId)).toEqual([
        [BEN, 'declined', 'holder'],
        [DAN, 'declined', 'deputy'],
        [ANA, 'requested', 'formal-manager'],
      ]);
      const anaBooking = w.board.bookingsOfSession(sessionId).find((b) => b.personId === ANA);
      await w.answers.decline(anaBooking?.bookingId ?? '', 'travelling', { actorId: ANA });
      expect((await requestsOf(w, sessionId)).map(([, status]) => status)).toEqual(['declined', 'declined', 'declined']);
      // The session waits for the organiser in the overview; nobody who said no is asked again.
      expect(unitOverview(UNIT, w.board.plansOfUnit(UNIT), w.board.sessionsOfUnit(UNIT), clock.now.toISOString()).sessionsWithoutPresenter.map((s) => s.sessionId)).toEqual([sessionId]);
      expect(await w.reminders.pass()).toMatchObject({ movedOn: 0 });
      await expect(w.presenters.execute({ sessionId, address: { personId: BEN } }, { actorId: CLEO })).rejects.toThrow(PresenterDeclinedSessionError);
      await expect(w.presenters.execute({ sessionId, address: { role: CASE_MANAGER } }, { actorId: CLEO })).rejects.toThrow(PresenterUnresolvableError);
    });

    it('goes to the formal manager when the mandate names no deputy; a withdrawal moves on too', async () => {
      const w = await world(programmeSteps, null);
      const created = await newcomer(w);
      const { sessionId, bookingId } = created.bookings[0] ?? { sessionId: '', bookingId: '' };
      await w.answers.accept(bookingId ?? '', { actorId: BEN });
      await w.answers.decline(bookingId ?? '', 'ill that week', { actorId: BEN });
      expect(await requestsOf(w, sessionId)).toEqual([
        [BEN, 'declined', 'holder'],
        [ANA, 'requested', 'formal-manager'],
      ]);
      expect(w.board.session(sessionId)?.presenterId).toBeNull();
    });

    it('moves on when the request expires unanswered, in the same pass of the reminders worker', async () => {
      const w = await world();
      const created = await newcomer(w);
      const { sessionId } = created.bookings[0] ?? { sessionId: '' };
      clock.now = new Date('2026-10-22T07:00:00.000Z');
      expect(await w.reminders.pass()).toMatchObject({ expired: 1, movedOn: 1 });
      expect(await requestsOf(w, sessionId)).toEqual([
        [BEN, 'expired', 'holder'],
        [DAN, 'requested', 'deputy'],
      ]);
      // Dan's request runs until the session starts at the latest.
      expect(w.board.bookingsOf(DAN)[0]?.expiresAt).toBe('2026-10-25T07:00:00.000Z');
      expect(await w.reminders.pass()).toMatchObject({ expired: 0, movedOn: 0 });
    });

    it('is made up by the next pass when the move after a decline did not happen (a crash in between)', async () => {
      const w = await world();
      const created = await newcomer(w);
      const { sessionId, bookingId } = created.bookings[0] ?? { sessionId: '', bookingId: '' };
      await w.bookings.decline(bookingId ?? '', 'no', { actorId: BEN });
      expect((await requestsOf(w, sessionId)).length).toBe(1);
      expect(await w.reminders.pass()).toMatchObject({ movedOn: 1 });
      expect(await w.reminders.pass()).toMatchObject({ movedOn: 0 });
      expect(await requestsOf(w, sessionId)).toEqual([
        [BEN, 'declined', 'holder'],
        [DAN, 'requested', 'deputy'],
      ]);
    });

    it('keeps a stand-in when the holder\'s mandate changes version, and asks stand-ins when the new holder said no to the session', async () => {
      const w = await world();
      const created = await newcomer(w);
      const { sessionId, bookingId } = created.bookings[0] ?? { sessionId: '', bookingId: '' };
      await w.answers.decline(bookingId ?? '', 'no', { actorId: BEN });
      await w.board.catchUp();
      const dan = w.board.booking(successorBookingId(bookingId ?? ''));
      await w.answers.accept(dan?.bookingId ?? '', { actorId: DAN });
      // Ben's mandate amended: Dan still stands in for it.
      w.authority.roles.set(ROLE_KEY, { personId: BEN, mandateId: 'mandate-cd-ben', mandateVersion: 4, deputyId: DAN });
      expect(await w.handOver.onMandateChanged({ mandateId: 'mandate-cd-ben', version: 4, taskType: 'case-distribution', unitId: UNIT, status: 'active' }, {})).toMatchObject({ released: 0, asked: 0 });
      // The role passes to Eve, whose mandate names Ben as deputy: Dan is released and Eve asked.
      w.authority.roles.set(ROLE_KEY, { personId: EVE, mandateId: 'mandate-cd-eve', mandateVersion: 1, deputyId: BEN });
      expect(await w.handOver.onMandateChanged({ mandateId: 'mandate-cd-eve', version: 1, taskType: 'case-distribution', unitId: UNIT, status: 'active' }, {})).toMatchObject({ released: 1, asked: 1 });
      await w.board.catchUp();
      const eve = w.board.bookingsOf(EVE)[0];
      await w.answers.decline(eve?.bookingId ?? '', 'no', { actorId: EVE });
      // Eve said no; her deputy Ben said no before: the formal manager is asked, standing in for Eve's mandate.
      expect(await requestsOf(w, sessionId)).toEqual([
        [BEN, 'declined', 'holder'],
        [DAN, 'released', 'deputy'],
        [EVE, 'declined', 'holder'],
        [ANA, 'requested', 'formal-manager'],
      ]);
      // The role goes back to Ben (who said no): Ana, standing in for Eve's mandate, is released; Ben is not asked, his mandate's stand-ins are (Dan).
      w.authority.roles.set(ROLE_KEY, { personId: BEN, mandateId: 'mandate-cd-ben-2', mandateVersion: 1, deputyId: DAN });
      expect(await w.handOver.onMandateChanged({ mandateId: 'mandate-cd-ben-2', version: 1, taskType: 'case-distribution', unitId: UNIT, status: 'active' }, {})).toMatchObject({ released: 1, asked: 1 });
      expect((await requestsOf(w, sessionId)).slice(3)).toEqual([
        [ANA, 'released', 'formal-manager'],
        [DAN, 'requested', 'deputy'],
      ]);
      // Redelivered: nothing new.
      expect(await w.handOver.onMandateChanged({ mandateId: 'mandate-cd-ben-2', version: 1, taskType: 'case-distribution', unitId: UNIT, status: 'active' }, {})).toMatchObject({ released: 0, asked: 0 });
    });
  });

  describe('a skill slot', () => {
    const skillSteps: StepInput[] = [{ key: 'billing-basics', kind: 'session', title: 'Billing basics', dayOffset: 1, time: '13:00', durationMinutes: 60, presenter: { skill: 'billing' } }];
    const busySteps: StepInput[] = [{ key: 'billing-deep-dive', kind: 'session', title: 'Billing deep dive', dayOffset: 1, time: '13:30', durationMinutes: 60, presenter: { personId: 'p-busy' } }];

    async function skilled() {
      const w = await world(skillSteps);
      const person = (personId: string, absences: { from: string; to: string }[] = []) => w.people.save({ personId, version: 0, unitIds: [UNIT], skills: ['Billing'], absences });
      await person('p-absent', [{ from: '2026-10-26T00:00:00.000Z', to: '2026-10-31T00:00:00.000Z' }]);
      await person('p-busy');
      await person('p-free-1');
      await person('p-free-2');
      await person(NINA);
      // p-busy presents another session at that time (confirmed).
      await w.programmes.execute({ programmeId: 'busy', unitId: UNIT, title: 'Busy', steps: busySteps }, { actorId: CLEO });
      const busy = await newcomer(w, OTTO, ['busy']);
      await w.answers.accept(busy.bookings[0]?.bookingId ?? '', { actorId: 'p-busy' });
      return w;
    }

    it('asks the least booked person with the skill who may be asked, then the next, never the absent, the busy or the newcomer', async () => {
      const w = await skilled();
      const created = await newcomer(w);
      const { sessionId, bookingId } = created.bookings[0] ?? { sessionId: '', bookingId: '' };
      expect(created.bookings[0]).toMatchObject({ personId: 'p-free-1', problem: null });
      await w.answers.decline(bookingId ?? '', 'no', { actorId: 'p-free-1' });
      expect(await requestsOf(w, sessionId)).toEqual([
        ['p-free-1', 'declined', 'skill'],
        ['p-free-2', 'requested', 'skill'],
      ]);
      const second = w.board.booking(successorBookingId(bookingId ?? ''));
      expect(second?.stamp).toMatchObject({ actorId: CLEO, basis: 'mandate' });
      await w.answers.decline(second?.bookingId ?? '', 'no', { actorId: 'p-free-2' });
      // Left: p-absent (absent), p-busy (confirmed elsewhere then), Nina (the newcomer): nobody.
      expect((await requestsOf(w, sessionId)).map(([person]) => person)).toEqual(['p-free-1', 'p-free-2']);
      await expect(w.presenters.execute({ sessionId, address: { skill: 'billing' } }, { actorId: CLEO })).rejects.toThrow(/nobody with skill "billing" can be asked: p-absent \(absent\), p-free-1 \(declined\), p-free-2 \(declined\), person-nina \(attendee\), p-busy \(busy\)/);
    });

    it('is unresolvable for a skill nobody has', async () => {
      const w = await skilled();
      const created = await newcomer(w);
      const { sessionId, bookingId } = created.bookings[0] ?? { sessionId: '', bookingId: '' };
      await w.bookings.cancel(bookingId ?? '', 'asking someone else', null, { actorId: CLEO });
      await expect(w.presenters.execute({ sessionId, address: { skill: 'juggling' } }, { actorId: CLEO })).rejects.toThrow(/nobody in the directory has skill "juggling"/);
      const asked = await w.presenters.execute({ sessionId, address: { skill: ' BILLING ' } }, { actorId: CLEO });
      // A cancelled request counts against nobody: the least booked, first by id, is asked again.
      expect(asked.booking).toMatchObject({ personId: 'p-free-1', resolution: { basis: 'skill', skill: ' BILLING ' } });
    });
  });

  it('a person slot moves on to nobody: the organiser sees the decline and the session without presenter', async () => {
    const w = await world([{ key: 'welcome', kind: 'session', title: 'Welcome', dayOffset: 0, time: '09:00', durationMinutes: 30, presenter: { personId: BEN } }]);
    const created = await newcomer(w);
    const { sessionId, bookingId } = created.bookings[0] ?? { sessionId: '', bookingId: '' };
    await w.answers.decline(bookingId ?? '', 'no', { actorId: BEN });
    expect(await requestsOf(w, sessionId)).toEqual([[BEN, 'declined', 'person']]);
    expect(await w.reminders.pass()).toMatchObject({ movedOn: 0 });
    expect(unitOverview(UNIT, w.board.plansOfUnit(UNIT), w.board.sessionsOfUnit(UNIT), clock.now.toISOString()).sessionsWithoutPresenter.map((s) => s.sessionId)).toEqual([sessionId]);
  });
});
