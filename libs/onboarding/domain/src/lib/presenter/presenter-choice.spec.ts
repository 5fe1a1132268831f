import { fold } from '@leadership/kernel';
import { at, CLEO } from '../../spec/onboarding.fixtures';
import type { PresenterResolution } from '../booking/booking.commands';
import { bookingDecider, type ExistingBooking } from '../booking/booking.decider';
import type { BookingEvent } from '../booking/booking.events';
import {
  bookingToSucceed,
  choosePresenter,
  roleCandidates,
  skillCandidates,
  successorAddress,
  successorBookingId,
  type CandidateFacts,
  type EarlierBooking,
  type PresenterCandidate,
} from './presenter-choice';

const ROLE = { taskType: 'case-distribution', unitId: 'support' };
const HOLDER = { personId: 'person-ben', mandateId: 'mandate-cd', mandateVersion: 3, deputyId: 'person-dan' };
const AS_ROLE = { basis: 'role', role: ROLE, mandateId: 'mandate-cd', mandateVersion: 3 } as const;
const WINDOW = { from: at(60), to: at(120) };

function choose(candidates: readonly PresenterCandidate[], earlier: readonly EarlierBooking[] = [], facts: Record<string, CandidateFacts> = {}, attendeeIds: string[] = ['person-nina']) {
  return choosePresenter({ window: WINDOW, sessionId: 's-1', candidates, earlier, attendeeIds, facts: new Map(Object.entries(facts)) });
}
const said = (personId: string, status: EarlierBooking['status']): EarlierBooking => ({ bookingId: `b-${personId}`, personId, status });
const chosen = (choice: ReturnType<typeof choose>) => [choice.chosen?.personId ?? null, choice.passedOver.map((p) => `${p.personId}:${p.reason}`)];

describe('roleCandidates', () => {
  it('lists the holder, then their deputy and the formal managers standing in for them, each once', () => {
    expect(roleCandidates(ROLE, HOLDER, ['person-ana', 'person-dan'])).toEqual([
      { personId: 'person-ben', resolution: AS_ROLE },
      { personId: 'person-dan', resolution: { ...AS_ROLE, standIn: 'deputy' } },
      { personId: 'person-ana', resolution: { ...AS_ROLE, standIn: 'formal-manager' } },
    ]);
    expect(roleCandidates(ROLE, { ...HOLDER, deputyId: null }, ['person-ana']).map((c) => c.personId)).toEqual(['person-ben', 'person-ana']);
  });

  it('has nobody when nobody holds the role (its next holder is asked at the hand-over)', () => {
    expect(roleCandidates(ROLE, null, ['person-ana'])).toEqual([]);
  });
});

describe('skillCandidates', () => {
  it('puts the least booked first, then by id', () => {
    const found = skillCandidates('billing', [
      { personId: 'p-c', openBookings: 1 },
      { personId: 'p-b', openBookings: 0 },
      { personId: 'p-a', openBookings: 1 },
    ]);
    expect(found).toEqual([
      { personId: 'p-b', resolution: { basis: 'skill', skill: 'billing' } },
      { personId: 'p-a', resolution: { basis: 'skill', skill: 'billing' } },
      { personId: 'p-c', resolution: { basis: 'skill', skill: 'billing' } },
    ]);
  });
});

describe('choosePresenter', () => {
  const role = roleCandidates(ROLE, HOLDER, ['person-ana']);
  const busy: CandidateFacts = { absences: [], confirmed: [{ bookingId: 'b-other', sessionId: 's-other', from: at(90), to: at(150) }] };
  const away: CandidateFacts = { absences: [{ from: at(0), to: at(24 * 60) }], confirmed: [] };

  it('asks the holder of the role first', () => {
    expect(chosen(choose(role))).toEqual(['person-ben', []]);
  });

  it('moves on to the deputy once the holder declined or let the request expire, then to the formal manager', () => {
    expect(chosen(choose(role, [said('person-ben', 'declined')]))).toEqual(['person-dan', ['person-ben:declined']]);
    expect(choose(role, [said('person-ben', 'declined')]).chosen?.resolution).toEqual({ ...AS_ROLE, standIn: 'deputy' });
    expect(chosen(choose(role, [said('person-ben', 'expired')]))).toEqual(['person-dan', ['person-ben:expired']]);
    expect(chosen(choose(role, [said('person-ben', 'declined'), said('person-dan', 'declined')]))).toEqual(['person-ana', ['person-ben:declined', 'person-dan:declined']]);
    expect(chosen(choose(role, [said('person-ben', 'declined')], { 'person-dan': away }))).toEqual(['person-ana', ['person-ben:declined', 'person-dan:absent']]);
    expect(chosen(choose(role, [said('person-ben', 'declined'), said('person-dan', 'expired'), said('person-ana', 'declined')]))).toEqual([null, ['person-ben:declined', 'person-dan:expired', 'person-ana:declined']]);
  });

  it('asks no stand-in for a holder who is busy or absent (not a no): nobody, with the rule that stopped the holder', () => {
    const choice = choose(role, [], { 'person-ben': busy });
    expect(chosen(choice)).toEqual([null, ['person-ben:busy']]);
    expect(choice.passedOver[0]?.error).toMatchObject({ rule: 'presenter.double-booked', details: { otherBookingId: 'b-other' } });
    expect(chosen(choose(role, [], { 'person-ben': away }))).toEqual([null, ['person-ben:absent']]);
  });

  it('for a skill: the next person who has not declined or let it expire, does not attend, is not absent and not booked elsewhere then', () => {
    const skill = skillCandidates('billing', ['p-0', 'p-1', 'p-2', 'p-3', 'p-4', 'p-5'].map((personId) => ({ personId, openBookings: 0 })));
    const choice = choose(skill, [said('p-1', 'declined'), said('p-2', 'expired'), said('p-6', 'declined')], { 'p-3': away, 'p-4': busy }, ['p-0']);
    expect(chosen(choice)).toEqual(['p-5', ['p-0:attendee', 'p-1:declined', 'p-2:expired', 'p-3:absent', 'p-4:busy']]);
    expect(choice.passedOver.map((p) => p.error.rule)).toEqual(['presenter.attends-session', 'presenter.declined-session', 'presenter.did-not-answer', 'presenter.absent', 'presenter.double-booked']);
  });

  it('counts a cancelled or role-released earlier booking against nobody', () => {
    expect(chosen(choose(role, [said('person-ben', 'cancelled'), said('person-dan', 'released')]))).toEqual(['person-ben', []]);
    expect(chosen(choose(role, [{ ...said('person-ben', 'released'), releaseCause: 'role-changed-hands' }], { 'person-ben': away }))).toEqual([null, ['person-ben:absent']]);
  });

  it("takes a holder's release for an absence as their no: the stand-ins step in (and the holder is asked again once present)", () => {
    const releasedAbsent: EarlierBooking = { ...said('person-ben', 'released'), releaseCause: 'presenter-absent' };
    expect(chosen(choose(role, [releasedAbsent], { 'person-ben': away }))).toEqual(['person-dan', ['person-ben:absent']]);
    expect(chosen(choose(role, [releasedAbsent]))).toEqual(['person-ben', []]);
  });
});

describe('which ended booking calls for the next candidate', () => {
  const requested = (id: string, minute: number, resolution: PresenterResolution = AS_ROLE): BookingEvent => ({
    type: 'BookingRequested',
    data: { bookingId: id, actorId: 'person-cleo', at: at(minute), stamp: CLEO, sessionId: 's-1', personId: `p-${id}`, title: 'Session', from: at(3000), to: at(3060), expiresAt: at(2000), resolution },
  });
  const ended: Record<string, (id: string) => BookingEvent> = {
    declined: (id) => ({ type: 'BookingDeclined', data: { bookingId: id, actorId: `p-${id}`, at: at(10), reason: 'no', withdrawn: false } }),
    expired: (id) => ({ type: 'BookingExpired', data: { bookingId: id, actorId: 'system', at: at(2000) } }),
    cancelled: (id) => ({ type: 'BookingCancelled', data: { bookingId: id, actorId: 'person-cleo', at: at(10), reason: 'removed', stamp: CLEO, wasConfirmed: false } }),
    released: (id) => ({ type: 'BookingReleased', data: { bookingId: id, actorId: 'system', at: at(10), successorId: null, stamp: null, wasConfirmed: false } }),
    absent: (id) => ({ type: 'BookingReleased', data: { bookingId: id, actorId: 'system', at: at(10), successorId: null, stamp: null, wasConfirmed: true, cause: 'presenter-absent' } }),
  };
  const booking = (id: string, minute: number, end?: string): ExistingBooking => fold(bookingDecider, [requested(id, minute), ...(end ? [ended[end]?.(id) as BookingEvent] : [])]) as ExistingBooking;
  const session = { status: 'scheduled' as const, from: at(3000) };

  it('is the latest booking, when it was declined, expired or released because the presenter became absent', () => {
    expect(bookingToSucceed(session, [booking('a', 0, 'declined'), booking('b', 5, 'declined')], at(20))?.bookingId).toBe('b');
    expect(bookingToSucceed(session, [booking('a', 0, 'expired')], at(2001))?.bookingId).toBe('a');
    expect(bookingToSucceed(session, [booking('a', 0, 'absent')], at(20))?.bookingId).toBe('a');
  });

  it('is none while a request is open, after a cancellation or a role hand-over, for a cancelled or started session, or without bookings', () => {
    expect(bookingToSucceed(session, [booking('a', 0, 'declined'), booking('b', 5)], at(20))).toBeUndefined();
    expect(bookingToSucceed(session, [booking('a', 0, 'declined'), booking('b', 5, 'cancelled')], at(20))).toBeUndefined();
    expect(bookingToSucceed(session, [booking('a', 0, 'released')], at(20))).toBeUndefined();
    expect(bookingToSucceed({ ...session, status: 'cancelled' }, [booking('a', 0, 'declined')], at(20))).toBeUndefined();
    expect(bookingToSucceed(session, [booking('a', 0, 'declined')], at(3000))).toBeUndefined();
    expect(bookingToSucceed(session, [], at(20))).toBeUndefined();
  });

  it('asks from the ended booking\'s address (none for a named person), under one successor id per booking', () => {
    expect(successorAddress(AS_ROLE)).toEqual({ role: ROLE });
    expect(successorAddress({ ...AS_ROLE, standIn: 'deputy' })).toEqual({ role: ROLE });
    expect(successorAddress({ basis: 'skill', skill: 'billing' })).toEqual({ skill: 'billing' });
    expect(successorAddress({ basis: 'person' })).toBeNull();
    expect(successorBookingId('b-1')).toBe(successorBookingId('b-1'));
    expect(successorBookingId('b-1')).not.toBe(successorBookingId('b-2'));
  });
});
