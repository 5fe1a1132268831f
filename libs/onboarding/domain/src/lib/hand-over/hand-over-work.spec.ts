import { CLEO } from '../../spec/onboarding.fixtures';
import { handOverWork, reassignRolePresenters, type OwnedWork, type RoleAddressedSession } from './hand-over-work';

const AT = '2026-10-28T09:00:00.000Z';
const OWNED: OwnedWork = {
  plans: [
    { newcomerId: 'person-nina', organiserId: 'person-cleo', status: 'active' },
    { newcomerId: 'person-olle', organiserId: 'person-cleo', status: 'completed' },
    { newcomerId: 'person-pia', organiserId: 'person-eve', status: 'active' },
  ],
  sessions: [
    { sessionId: 's-1', planId: 'person-nina', organiserId: 'person-cleo', status: 'scheduled', presenterIds: ['person-ben'] },
    { sessionId: 's-2', planId: 'person-nina', organiserId: 'person-cleo', status: 'cancelled', presenterIds: [] },
    { sessionId: 's-3', planId: 'person-pia', organiserId: 'person-eve', status: 'scheduled', presenterIds: ['person-ben'] },
  ],
};

describe('handOverWork', () => {
  it('passes the holder\'s live plans and sessions to the new holder and tells everyone affected once', () => {
    const decision = handOverWork({ holderId: 'person-cleo', formalManagerId: 'person-ana', change: { kind: 'passed', toPersonId: 'person-dan', mandateId: 'm-dan', mandateVersion: 1 }, owned: OWNED, actorId: 'system:hand-over', at: AT });
    expect(decision.commands).toEqual([
      { type: 'HandOverPlan', data: { newcomerId: 'person-nina', at: AT, actorId: 'system:hand-over', toOrganiserId: 'person-dan', reason: 'mandate-passed', mandateId: 'm-dan' } },
      { type: 'HandOverSession', data: { sessionId: 's-1', at: AT, actorId: 'system:hand-over', toOrganiserId: 'person-dan', reason: 'mandate-passed', mandateId: 'm-dan' } },
    ]);
    expect(decision.notices).toEqual([
      { personId: 'person-dan', reason: 'work-received', planIds: ['person-nina'], sessionIds: ['s-1'] },
      { personId: 'person-cleo', reason: 'work-handed-on', planIds: ['person-nina'], sessionIds: ['s-1'] },
      { personId: 'person-ben', reason: 'organiser-changed', planIds: [], sessionIds: ['s-1'] },
      { personId: 'person-nina', reason: 'organiser-changed', planIds: ['person-nina'], sessionIds: ['s-1'] },
    ]);
  });

  it('gives the work back to the formal manager when the mandate ends or is suspended', () => {
    for (const kind of ['ended', 'suspended'] as const) {
      const decision = handOverWork({ holderId: 'person-cleo', formalManagerId: 'person-ana', change: { kind }, owned: OWNED, actorId: 'system', at: AT });
      expect(decision.toOrganiserId).toBe('person-ana');
      expect(decision.commands.map((c) => [c.type, c.data.reason])).toEqual([
        ['HandOverPlan', `mandate-${kind}`],
        ['HandOverSession', `mandate-${kind}`],
      ]);
    }
  });

  it('decides nothing when nothing is owned or the work already sits with the target (a redelivered event)', () => {
    expect(handOverWork({ holderId: 'person-zed', formalManagerId: 'person-ana', change: { kind: 'ended' }, owned: OWNED, actorId: 'system', at: AT })).toEqual({ toOrganiserId: 'person-ana', commands: [], notices: [] });
    const handedOver: OwnedWork = { plans: OWNED.plans.map((p) => ({ ...p, organiserId: 'person-dan' })), sessions: OWNED.sessions.map((s) => ({ ...s, organiserId: 'person-dan' })) };
    expect(handOverWork({ holderId: 'person-cleo', formalManagerId: 'person-ana', change: { kind: 'passed', toPersonId: 'person-dan', mandateId: 'm', mandateVersion: 1 }, owned: handedOver, actorId: 'system', at: AT }).commands).toEqual([]);
  });
});

describe('reassignRolePresenters', () => {
  const role = { taskType: 'case-distribution', unitId: 'unit-support' };
  const session = (
    sessionId: string,
    booking: Omit<NonNullable<RoleAddressedSession['openBooking']>, 'standInFor'> & { standInFor?: string } | null,
    presenterSlot: RoleAddressedSession['presenterSlot'] = { role },
    saidNo: string[] = [],
  ): RoleAddressedSession => ({
    sessionId,
    title: 'How cases are distributed',
    from: '2026-11-02T09:00:00.000Z',
    to: '2026-11-02T10:00:00.000Z',
    presenterSlot,
    openBooking: booking ? { standInFor: null, ...booking } : null,
    saidNo,
  });
  const sessions = [
    session('s-1', { bookingId: 'b-ben', personId: 'person-ben', status: 'confirmed' }),
    session('s-2', null),
    session('s-3', { bookingId: 'b-dan', personId: 'person-dan', status: 'requested' }),
    session('s-4', { bookingId: 'b-x', personId: 'person-ben', status: 'confirmed' }, { personId: 'person-ben' }),
    session('s-5', { bookingId: 'b-y', personId: 'person-ben', status: 'confirmed' }, { role: { taskType: 'case-distribution', unitId: 'unit-sales' } }),
  ];

  it('releases the old holder and asks the new one, recording the mandate that made them the holder', () => {
    const decision = reassignRolePresenters({ role, newHolder: { personId: 'person-dan', mandateId: 'm-dan', mandateVersion: 1 }, sessions, stamp: CLEO, actorId: 'system:hand-over', at: '2026-10-28T09:00:00.000Z' });
    expect(decision.release).toEqual([{ type: 'ReleaseBooking', data: { bookingId: 'b-ben', at: '2026-10-28T09:00:00.000Z', actorId: 'system:hand-over', successorId: 'person-dan', stamp: CLEO } }]);
    expect(decision.ask.map((a) => [a.sessionId, a.personId, a.resolution])).toEqual([
      ['s-1', 'person-dan', { basis: 'role', role, mandateId: 'm-dan', mandateVersion: 1 }],
      ['s-2', 'person-dan', { basis: 'role', role, mandateId: 'm-dan', mandateVersion: 1 }],
    ]);
    expect(decision.unstaffed).toEqual([]);
    // The same decision again (a redelivered mandate event) asks under the same booking ids.
    const again = reassignRolePresenters({ role, newHolder: { personId: 'person-dan', mandateId: 'm-dan', mandateVersion: 1 }, sessions, stamp: CLEO, actorId: 'system:hand-over', at: '2026-10-28T09:05:00.000Z' });
    expect(again.ask.map((a) => a.bookingId)).toEqual(decision.ask.map((a) => a.bookingId));
  });

  it('releases and reports the sessions as unstaffed when the role has no holder', () => {
    const decision = reassignRolePresenters({ role, newHolder: null, sessions, stamp: null, actorId: 'system', at: '2026-10-28T09:00:00.000Z' });
    expect(decision.release.map((r) => [r.data.bookingId, r.data.successorId])).toEqual([
      ['b-ben', null],
      ['b-dan', null],
    ]);
    expect(decision.ask).toEqual([]);
    expect(decision.unstaffed).toEqual(['s-1', 's-2', 's-3']);
  });

  it("keeps a stand-in for the holder's own mandate (the holder said no), and sends a session to the stand-ins when the new holder said no to it", () => {
    const dan = { personId: 'person-dan', mandateId: 'm-dan', mandateVersion: 2 };
    const standingIn = [
      session('s-1', { bookingId: 'b-ana', personId: 'person-ana', status: 'confirmed', standInFor: 'm-dan' }, { role }, ['person-dan']),
      session('s-2', { bookingId: 'b-eve', personId: 'person-eve', status: 'requested', standInFor: 'm-ben' }, { role }, ['person-ben']),
      session('s-3', { bookingId: 'b-ben', personId: 'person-ben', status: 'requested' }, { role }, ['person-dan']),
      session('s-4', null, { role }, ['person-dan']),
    ];
    const decision = reassignRolePresenters({ role, newHolder: dan, sessions: standingIn, stamp: null, actorId: 'system', at: '2026-10-28T09:00:00.000Z' });
    expect(decision.release.map((r) => [r.data.bookingId, r.data.successorId])).toEqual([
      ['b-eve', 'person-dan'],
      ['b-ben', null],
    ]);
    expect(decision.ask.map((a) => a.sessionId)).toEqual(['s-2']);
    expect(decision.standIns).toEqual(['s-3', 's-4']);
  });
});
