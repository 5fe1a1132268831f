import { openTestEventStore } from '@leadership/testing';
import { PresenterDoubleBookedError } from '@leadership/onboarding-domain';
import { MissingAuthorityError } from '../../authority/onboarding-authority.port';
import { PresenterRequestPendingError } from '../../shared/onboarding-commands';
import { ANA, BEN, CASE_MANAGER, CLEO, DAN, NINA, onboardingWorld, programmeSteps, UNIT } from '../../../spec/onboarding-world.fixture';

describe('presenter bookings (use cases over a real event store)', () => {
  const clock = { now: new Date('2026-10-19T07:00:00.000Z') };

  async function newcomerWithRoleSession() {
    const store = openTestEventStore();
    const world = onboardingWorld(store, clock);
    world.authority.roles.set(`${CASE_MANAGER.taskType}/${CASE_MANAGER.unitId}`, { personId: BEN, mandateId: 'mandate-cd-ben', mandateVersion: 3 });
    await world.programmes.execute({ programmeId: 'support-basics', unitId: UNIT, title: 'Support basics', steps: programmeSteps }, { actorId: CLEO });
    const created = await world.newcomers.execute({ personId: NINA, unitId: UNIT, startDate: '2026-10-26', timeZone: 'Europe/Stockholm', programmeIds: ['support-basics'] }, { actorId: CLEO });
    return { store, world, created };
  }

  it('generates the plan, schedules the session and asks the holder of the role, storing the resolution and the stamp', async () => {
    const { world, created } = await newcomerWithRoleSession();
    expect(created.bookings).toEqual([expect.objectContaining({ personId: BEN, problem: null })]);
    await world.board.catchUp();
    const [booking] = world.board.bookingsOf(BEN);
    expect(booking).toMatchObject({
      status: 'requested',
      resolution: { basis: 'role', role: CASE_MANAGER, mandateId: 'mandate-cd-ben', mandateVersion: 3 },
      stamp: { basis: 'mandate', mandateId: 'mandate-onboarding', mandateVersion: 2, actorId: CLEO },
      from: '2026-10-28T09:00:00.000Z',
    });
  });

  it('refuses a caller without onboarding.plan, naming the authority', async () => {
    const { world } = await newcomerWithRoleSession();
    await expect(world.newcomers.execute({ personId: 'person-x', unitId: UNIT, startDate: '2026-10-26', timeZone: 'Europe/Stockholm', programmeIds: ['support-basics'] }, { actorId: DAN })).rejects.toThrow(MissingAuthorityError);
  });

  it('confirms on accept (slot reserved, session presented) and refuses to ask the same person for an overlapping session, naming the booking', async () => {
    const { world, created } = await newcomerWithRoleSession();
    const bookingId = created.bookings[0]?.bookingId ?? '';
    const accepted = await world.bookings.accept(bookingId, { actorId: BEN });
    expect(accepted.booking.status).toBe('confirmed');
    await world.board.catchUp();
    const sessionId = created.bookings[0]?.sessionId ?? '';
    expect(world.board.session(sessionId)).toMatchObject({ presenterId: BEN, bookingId });
    // A second newcomer starting the same day gets the same session time: Ben is busy then.
    const second = await world.newcomers.execute({ personId: 'person-otto', unitId: UNIT, startDate: '2026-10-26', timeZone: 'Europe/Stockholm', programmeIds: ['support-basics'] }, { actorId: ANA });
    expect(second.bookings[0]).toMatchObject({ bookingId: null, problem: { rule: 'presenter.double-booked' } });
    const otherSession = second.bookings[0]?.sessionId ?? '';
    await expect(world.presenters.execute({ sessionId: otherSession, address: { personId: BEN } }, { actorId: CLEO })).rejects.toThrow(PresenterDoubleBookedError);
    await expect(world.presenters.execute({ sessionId: otherSession, address: { personId: BEN } }, { actorId: CLEO })).rejects.toMatchObject({ details: { otherBookingId: bookingId } });
  });

  it('lets only one of two concurrent accepts of overlapping sessions confirm', async () => {
    const { world, created } = await newcomerWithRoleSession();
    const second = await world.newcomers.execute({ personId: 'person-otto', unitId: UNIT, startDate: '2026-10-26', timeZone: 'Europe/Stockholm', programmeIds: ['support-basics'] }, { actorId: ANA });
    // Both asked while Ben was free: the second request exists before either is accepted.
    expect(second.bookings[0]?.personId).toBe(BEN);
    const results = await Promise.allSettled([created.bookings[0]?.bookingId ?? '', second.bookings[0]?.bookingId ?? ''].map((id) => world.bookings.accept(id, { actorId: BEN })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(PresenterDoubleBookedError);
  });

  it('refuses a second request while one is open for the session', async () => {
    const { world, created } = await newcomerWithRoleSession();
    await expect(world.presenters.execute({ sessionId: created.bookings[0]?.sessionId ?? '', address: { personId: DAN } }, { actorId: CLEO })).rejects.toThrow(PresenterRequestPendingError);
  });

  it('moves a role-addressed session when the role changes hands: the old presenter released (slot freed), the new holder asked', async () => {
    const { world, created } = await newcomerWithRoleSession();
    const bookingId = created.bookings[0]?.bookingId ?? '';
    const sessionId = created.bookings[0]?.sessionId ?? '';
    await world.bookings.accept(bookingId, { actorId: BEN });
    world.authority.roles.delete(`${CASE_MANAGER.taskType}/${CASE_MANAGER.unitId}`);
    const revoked = await world.handOver.onMandateChanged({ mandateId: 'mandate-cd-ben', version: 4, taskType: 'case-distribution', unitId: UNIT, status: 'ended' }, {});
    expect(revoked).toMatchObject({ released: 1, asked: 0, unstaffed: 1 });
    await world.board.catchUp();
    expect(world.board.booking(bookingId)?.status).toBe('released');
    expect(world.board.session(sessionId)?.presenterId).toBeNull();
    world.authority.roles.set(`${CASE_MANAGER.taskType}/${CASE_MANAGER.unitId}`, { personId: DAN, mandateId: 'mandate-cd-dan', mandateVersion: 2 });
    const activated = await world.handOver.onMandateChanged({ mandateId: 'mandate-cd-dan', version: 2, taskType: 'case-distribution', unitId: UNIT, status: 'active' }, {});
    expect(activated).toMatchObject({ released: 0, asked: 1 });
    // Redelivered: nothing new.
    expect(await world.handOver.onMandateChanged({ mandateId: 'mandate-cd-dan', version: 2, taskType: 'case-distribution', unitId: UNIT, status: 'active' }, {})).toMatchObject({ released: 0, asked: 0 });
    await world.board.catchUp();
    expect(world.board.bookingsOf(DAN)).toEqual([expect.objectContaining({ status: 'requested', resolution: expect.objectContaining({ mandateId: 'mandate-cd-dan' }) })]);
    // Ben's freed time can be booked again.
    expect(world.board.bookingsOf(BEN).map((b) => b.status)).toEqual(['released']);
  });

  it("hands Cleo's plans and sessions to the formal manager when her onboarding mandate ends", async () => {
    const { world } = await newcomerWithRoleSession();
    world.authority.mandates.delete(CLEO);
    const outcome = await world.handOver.onMandateChanged({ mandateId: 'mandate-onboarding', version: 5, taskType: 'onboarding', unitId: UNIT, status: 'ended' }, {});
    expect(outcome.handedOver).toBe(2);
    await world.board.catchUp();
    expect(world.board.plan(NINA)).toMatchObject({ organiserId: ANA });
    expect(world.board.sessionsOfUnit(UNIT).map((s) => s.organiserId)).toEqual([ANA]);
  });
});
