import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { at, CLEO, T0 } from '../../spec/onboarding.fixtures';
import { PresenterAbsentError, PresenterDoubleBookedError } from '../presenter/presenter.errors';
import type { BookingCommand, PresenterResolution } from './booking.commands';
import { bookingDecider } from './booking.decider';
import {
  BookingAlreadyExistsError,
  BookingNotFoundError,
  BookingNotPendingError,
  BookingNotYetExpiredError,
  BookingReasonRequiredError,
  BookingRequestExpiredError,
  BookingRequestInvalidError,
  BookingStampInvalidError,
  NotAskedPresenterError,
  PresenterDeclinedSessionError,
  SessionStartedError,
} from './booking.errors';
import type { BookingEvent } from './booking.events';

const ID = 'booking-1';
const BEN = 'person-ben';
const FROM = at(7 * 24 * 60);
const TO = at(7 * 24 * 60 + 60);
const EXPIRES = at(2 * 24 * 60);
const ROLE: PresenterResolution = { basis: 'role', role: { taskType: 'case-distribution', unitId: 'unit-support' }, mandateId: 'mandate-cd', mandateVersion: 4 };

type RequestData = Extract<BookingCommand, { type: 'RequestPresenter' }>['data'];
const cmd = {
  request: (extra: Partial<RequestData> = {}): BookingCommand => ({
    type: 'RequestPresenter',
    data: { bookingId: ID, at: T0, stamp: CLEO, sessionId: 'session-1', personId: BEN, title: ' How cases are distributed ', from: FROM, to: TO, expiresAt: EXPIRES, resolution: ROLE, absences: [], confirmed: [], declined: [], ...extra },
  }),
  accept: (actorId = BEN, when = at(60)): BookingCommand => ({ type: 'AcceptBooking', data: { bookingId: ID, at: when, actorId } }),
  decline: (reason = 'on a course that week', when = at(60), actorId = BEN): BookingCommand => ({ type: 'DeclineBooking', data: { bookingId: ID, at: when, actorId, reason } }),
  expire: (when = EXPIRES): BookingCommand => ({ type: 'ExpireBooking', data: { bookingId: ID, at: when, actorId: 'system:timer' } }),
  cancel: (reason = 'step removed'): BookingCommand => ({ type: 'CancelBooking', data: { bookingId: ID, at: at(120), actorId: 'person-cleo', reason, stamp: CLEO } }),
  release: (successorId: string | null = 'person-dan'): BookingCommand => ({ type: 'ReleaseBooking', data: { bookingId: ID, at: at(180), actorId: 'system:hand-over', successorId, stamp: null } }),
  reschedule: (from = at(8 * 24 * 60), to = at(8 * 24 * 60 + 60)): BookingCommand => ({ type: 'RescheduleBooking', data: { bookingId: ID, at: at(90), actorId: 'person-cleo', from, to } }),
};
const ev = {
  requested: (): BookingEvent => ({
    type: 'BookingRequested',
    data: { bookingId: ID, actorId: 'person-cleo', at: T0, stamp: CLEO, sessionId: 'session-1', personId: BEN, title: 'How cases are distributed', from: FROM, to: TO, expiresAt: EXPIRES, resolution: ROLE },
  }),
  confirmed: (): BookingEvent => ({ type: 'BookingConfirmed', data: { bookingId: ID, actorId: BEN, at: at(60) } }),
  declined: (withdrawn = false, when = at(60)): BookingEvent => ({ type: 'BookingDeclined', data: { bookingId: ID, actorId: BEN, at: when, reason: 'on a course that week', withdrawn } }),
  expired: (): BookingEvent => ({ type: 'BookingExpired', data: { bookingId: ID, actorId: 'system:timer', at: EXPIRES } }),
  cancelled: (wasConfirmed: boolean): BookingEvent => ({ type: 'BookingCancelled', data: { bookingId: ID, actorId: 'person-cleo', at: at(120), reason: 'step removed', stamp: CLEO, wasConfirmed } }),
  released: (wasConfirmed: boolean, successorId: string | null = 'person-dan'): BookingEvent => ({ type: 'BookingReleased', data: { bookingId: ID, actorId: 'system:hand-over', at: at(180), successorId, stamp: null, wasConfirmed } }),
};

const given = DeciderSpecification.for(bookingDecider);

describe('booking decider', () => {
  describe('RequestPresenter', () => {
    it('asks the person, keeping how they were found (a role with the mandate that made them its holder) and the stamp', () => {
      given([]).when(cmd.request()).then([ev.requested()]);
    });

    it('changes nothing when the same request is retried', () => {
      given([ev.requested()]).when(cmd.request({ at: at(1) })).thenNothingHappens();
    });

    it('does not ask someone absent or busy on another session, naming the other booking', () => {
      given([]).when(cmd.request({ absences: [{ from: at(6 * 24 * 60), to: at(9 * 24 * 60) }] })).thenThrows(PresenterAbsentError, 'presenter.absent');
      given([])
        .when(cmd.request({ confirmed: [{ bookingId: 'booking-0', sessionId: 'session-0', from: at(7 * 24 * 60 + 30), to: at(7 * 24 * 60 + 90) }] }))
        .thenThrows(PresenterDoubleBookedError, 'presenter.double-booked', (e) => {
          expect(e.otherBookingId).toBe('booking-0');
        });
    });

    it('does not ask someone who declined this session before, naming that booking', () => {
      given([])
        .when(cmd.request({ declined: [{ bookingId: 'booking-0', personId: BEN }] }))
        .thenThrows(PresenterDeclinedSessionError, 'presenter.declined-session', (e) => {
          expect(e.declinedBookingId).toBe('booking-0');
        });
      given([]).when(cmd.request({ declined: [{ bookingId: 'booking-0', personId: 'person-dan' }] })).then([ev.requested()]);
    });

    it("asks a stand-in for the role's holder (deputy, formal manager), recording whom they stand in for", () => {
      const deputy: PresenterResolution = { ...ROLE, standIn: 'deputy' };
      const requested = ev.requested();
      given([])
        .when(cmd.request({ resolution: deputy }))
        .then([{ ...requested, data: { ...requested.data, resolution: deputy } } as BookingEvent]);
      given([])
        .when(cmd.request({ resolution: { ...ROLE, standIn: 'buddy' } as unknown as PresenterResolution }))
        .thenThrows(BookingRequestInvalidError, 'booking.request-invalid');
    });

    it('asks someone whose other session ends when this one begins (windows are half-open)', () => {
      given([]).when(cmd.request({ confirmed: [{ bookingId: 'booking-0', sessionId: 'session-0', from: at(7 * 24 * 60 - 60), to: FROM }] })).then([ev.requested()]);
    });

    it('refuses the id for another request, incomplete stamps and resolutions, and bad windows or expiries', () => {
      given([ev.requested()]).when(cmd.request({ personId: 'person-dan' })).thenThrows(BookingAlreadyExistsError, 'booking.already-exists');
      given([]).when(cmd.request({ stamp: { ...CLEO, mandateVersion: null } })).thenThrows(BookingStampInvalidError, 'booking.stamp-invalid');
      given([]).when(cmd.request({ resolution: { ...ROLE, mandateId: '' } })).thenThrows(BookingRequestInvalidError, 'booking.request-invalid');
      given([]).when(cmd.request({ from: TO, to: FROM })).thenThrows(BookingRequestInvalidError, 'booking.request-invalid');
      given([]).when(cmd.request({ expiresAt: T0 })).thenThrows(BookingRequestInvalidError, 'booking.request-invalid');
      given([]).when(cmd.request({ expiresAt: TO })).thenThrows(BookingRequestInvalidError, 'booking.request-invalid');
      given([]).when(cmd.request({ title: ' ' })).thenThrows(BookingRequestInvalidError, 'booking.request-invalid');
    });
  });

  describe('AcceptBooking', () => {
    it('confirms when the asked person accepts in time', () => {
      given([ev.requested()]).when(cmd.accept()).then([ev.confirmed()]);
    });

    it('changes nothing when accepted again', () => {
      given([ev.requested(), ev.confirmed()]).when(cmd.accept()).thenNothingHappens();
    });

    it('refuses someone else, a request that ran out, and an ended booking', () => {
      given([ev.requested()]).when(cmd.accept('person-mallory')).thenThrows(NotAskedPresenterError, 'booking.not-asked');
      given([ev.requested()]).when(cmd.accept(BEN, EXPIRES)).thenThrows(BookingRequestExpiredError, 'booking.request-expired');
      given([ev.requested(), ev.declined()]).when(cmd.accept()).thenThrows(BookingNotPendingError, 'booking.not-pending');
      given([ev.requested(), ev.released(false)]).when(cmd.accept()).thenThrows(BookingNotPendingError, 'booking.not-pending');
      given([]).when(cmd.accept()).thenThrows(BookingNotFoundError, 'booking.not-found');
    });
  });

  describe('DeclineBooking', () => {
    it('declines with the reason; a confirmed presenter may withdraw before the session', () => {
      given([ev.requested()]).when(cmd.decline(' on a course that week ')).then([ev.declined()]);
      given([ev.requested(), ev.confirmed()]).when(cmd.decline(undefined, at(3000))).then([ev.declined(true, at(3000))]);
    });

    it('changes nothing when declined again', () => {
      given([ev.requested(), ev.declined()]).when(cmd.decline()).thenNothingHappens();
    });

    it('refuses a blank reason, someone else, a withdrawal once the session started, and an ended booking', () => {
      given([ev.requested()]).when(cmd.decline(' ')).thenThrows(BookingReasonRequiredError, 'booking.reason-required');
      given([ev.requested()]).when(cmd.decline(undefined, undefined, 'person-cleo')).thenThrows(NotAskedPresenterError, 'booking.not-asked');
      given([ev.requested(), ev.confirmed()]).when(cmd.decline(undefined, FROM)).thenThrows(SessionStartedError, 'booking.session-started');
      given([ev.requested(), ev.expired()]).when(cmd.decline()).thenThrows(BookingNotPendingError, 'booking.not-pending');
    });
  });

  describe('ExpireBooking', () => {
    it('expires an unanswered request at its time', () => {
      given([ev.requested()]).when(cmd.expire()).then([ev.expired()]);
    });

    it('changes nothing for an answered or ended booking (the timer came late)', () => {
      given([ev.requested(), ev.confirmed()]).when(cmd.expire()).thenNothingHappens();
      given([ev.requested(), ev.expired()]).when(cmd.expire()).thenNothingHappens();
    });

    it('refuses an early timer', () => {
      given([ev.requested()]).when(cmd.expire(at(60))).thenThrows(BookingNotYetExpiredError, 'booking.not-yet-expired');
    });
  });

  describe('CancelBooking', () => {
    it('cancels a requested or confirmed booking, saying which it was', () => {
      given([ev.requested()]).when(cmd.cancel()).then([ev.cancelled(false)]);
      given([ev.requested(), ev.confirmed()]).when(cmd.cancel()).then([ev.cancelled(true)]);
    });

    it('changes nothing for an ended booking', () => {
      given([ev.requested(), ev.declined()]).when(cmd.cancel()).thenNothingHappens();
      given([ev.requested(), ev.cancelled(false)]).when(cmd.cancel()).thenNothingHappens();
    });

    it('refuses a blank reason and an unknown booking', () => {
      given([ev.requested()]).when(cmd.cancel('')).thenThrows(BookingReasonRequiredError, 'booking.reason-required');
      given([]).when(cmd.cancel()).thenThrows(BookingNotFoundError, 'booking.not-found');
    });
  });

  describe('ReleaseBooking', () => {
    it('releases the old holder of the role, naming who is asked next (or nobody)', () => {
      given([ev.requested(), ev.confirmed()]).when(cmd.release()).then([ev.released(true)]);
      given([ev.requested()]).when(cmd.release(null)).then([ev.released(false, null)]);
    });

    it('releases a presenter who became absent for the session, saying so', () => {
      const released = ev.released(true, null);
      given([ev.requested(), ev.confirmed()])
        .when({ type: 'ReleaseBooking', data: { bookingId: ID, at: at(180), actorId: 'system:hand-over', successorId: null, stamp: null, cause: 'presenter-absent' } })
        .then([{ ...released, data: { ...released.data, cause: 'presenter-absent' } } as BookingEvent]);
      expect(fold(bookingDecider, [ev.requested(), { ...released, data: { ...released.data, cause: 'presenter-absent' } } as BookingEvent])).toMatchObject({ status: 'released', releaseCause: 'presenter-absent' });
      expect(fold(bookingDecider, [ev.requested(), released])).toMatchObject({ status: 'released', releaseCause: 'role-changed-hands' });
    });

    it('changes nothing for an ended booking', () => {
      given([ev.requested(), ev.released(true)]).when(cmd.release()).thenNothingHappens();
    });

    it('refuses an unknown booking and an incomplete stamp', () => {
      given([]).when(cmd.release()).thenThrows(BookingNotFoundError, 'booking.not-found');
      given([ev.requested()])
        .when({ type: 'ReleaseBooking', data: { bookingId: ID, at: at(180), actorId: 'x', successorId: null, stamp: { ...CLEO, actorId: '' } } })
        .thenThrows(BookingStampInvalidError, 'booking.stamp-invalid');
    });
  });

  describe('RescheduleBooking', () => {
    it('moves an open booking with its session', () => {
      given([ev.requested(), ev.confirmed()])
        .when(cmd.reschedule())
        .then([{ type: 'BookingRescheduled', data: { bookingId: ID, actorId: 'person-cleo', at: at(90), from: at(8 * 24 * 60), to: at(8 * 24 * 60 + 60) } }]);
    });

    it('changes nothing for the same window', () => {
      given([ev.requested()]).when(cmd.reschedule(FROM, TO)).thenNothingHappens();
    });

    it('refuses an ended booking and an empty window', () => {
      given([ev.requested(), ev.declined()]).when(cmd.reschedule()).thenThrows(BookingNotPendingError, 'booking.not-pending');
      given([ev.requested()]).when(cmd.reschedule(TO, FROM)).thenThrows(BookingRequestInvalidError, 'booking.request-invalid');
    });
  });

  it('folds into the booking with its answer', () => {
    expect(fold(bookingDecider, [ev.requested(), ev.declined()])).toMatchObject({ status: 'declined', answeredAt: at(60), reason: 'on a course that week', resolution: ROLE });
  });
});
