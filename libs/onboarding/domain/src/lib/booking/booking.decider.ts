import { assertNever, type Decider } from '@leadership/kernel';
import { isBefore, isInstant, sameInstant, validWindow, type TimeWindow } from '../shared/instant';
import { blank, sameData, validStamp, type DecisionStamp } from '../shared/onboarding-vocabulary';
import { refusePresenterConflicts } from '../presenter/presenter-conflicts';
import type {
  AcceptBooking,
  BookingCommand,
  CancelBooking,
  DeclineBooking,
  ExpireBooking,
  PresenterResolution,
  ReleaseBooking,
  ReleaseCause,
  RequestPresenter,
  RescheduleBooking,
} from './booking.commands';
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

export type BookingStatus = 'requested' | 'confirmed' | 'declined' | 'expired' | 'cancelled' | 'released';

/** Statuses in which the booking still holds (or may come to hold) the person's time. */
export const OPEN_BOOKING_STATUSES: readonly BookingStatus[] = ['requested', 'confirmed'];

export interface ExistingBooking extends TimeWindow {
  readonly status: BookingStatus;
  readonly bookingId: string;
  readonly sessionId: string;
  readonly personId: string;
  readonly title: string;
  readonly expiresAt: string;
  readonly resolution: PresenterResolution;
  /** The decision to ask: who, on which authority. */
  readonly stamp: DecisionStamp;
  readonly requestedAt: string;
  readonly answeredAt: string | null;
  /** Decline reason, or why it was cancelled. */
  readonly reason: string | null;
  /** Released: why (the role changed hands, or the presenter became absent). */
  readonly releaseCause: ReleaseCause | null;
}

export type BookingState = { readonly status: 'none' } | ExistingBooking;

type Events = readonly BookingEvent[];

// ---------------------------------------------------------------------------------------------
// Guards shared by the commands.

function existing(state: BookingState, bookingId: string): ExistingBooking {
  if (state.status === 'none') throw new BookingNotFoundError(bookingId);
  return state;
}

function requireAsked(booking: ExistingBooking, actorId: string): void {
  if (actorId !== booking.personId) throw new NotAskedPresenterError(booking.bookingId, actorId);
}

function validResolution(resolution: PresenterResolution): boolean {
  switch (resolution.basis) {
    case 'person':
      return true;
    case 'role':
      return (
        !blank(resolution.role.taskType) &&
        !blank(resolution.role.unitId) &&
        !blank(resolution.mandateId) &&
        Number.isInteger(resolution.mandateVersion) &&
        resolution.mandateVersion >= 0 &&
        (resolution.standIn === undefined || resolution.standIn === 'deputy' || resolution.standIn === 'formal-manager')
      );
    case 'skill':
      return !blank(resolution.skill);
    default:
      return assertNever(resolution);
  }
}

// ---------------------------------------------------------------------------------------------
// One function per command.

function request(command: RequestPresenter, state: BookingState): Events {
  const { bookingId, at, stamp, sessionId, personId, title, from, to, expiresAt, resolution, absences, confirmed, declined } = command.data;
  if (!validStamp(stamp)) throw new BookingStampInvalidError(bookingId);
  const invalid = (problem: string) => new BookingRequestInvalidError(bookingId, problem);
  if (blank(sessionId) || blank(personId) || blank(title)) throw invalid('a session, a person and a title are required');
  if (!validWindow({ from, to })) throw invalid('the session window needs instants with from before to');
  if (!isInstant(expiresAt) || !isBefore(at, expiresAt) || isBefore(from, expiresAt)) throw invalid('the request must expire after it is made and no later than the session starts');
  if (!validResolution(resolution)) throw invalid('a role resolution names its mandate and version; a skill is not blank');
  const data = { bookingId, actorId: stamp.actorId, at, stamp, sessionId, personId, title: title.trim(), from, to, expiresAt, resolution };
  if (state.status !== 'none') {
    // A retried request is a no-op (its instant and stamp are the retry's); the id for another request is a conflict.
    const same =
      state.sessionId === sessionId &&
      state.personId === personId &&
      sameInstant(state.from, from) &&
      sameInstant(state.to, to) &&
      sameInstant(state.expiresAt, expiresAt) &&
      sameData(state.resolution, resolution);
    if (same) return [];
    throw new BookingAlreadyExistsError(bookingId);
  }
  const no = declined.find((earlier) => earlier.personId === personId);
  if (no) throw new PresenterDeclinedSessionError(personId, sessionId, no.bookingId);
  refusePresenterConflicts(personId, bookingId, { from, to }, absences, confirmed);
  return [{ type: 'BookingRequested', data }];
}

function accept(command: AcceptBooking, state: BookingState): Events {
  const { bookingId, actorId, at } = command.data;
  const booking = existing(state, bookingId);
  requireAsked(booking, actorId);
  if (booking.status === 'confirmed') return [];
  if (booking.status !== 'requested') throw new BookingNotPendingError(bookingId, booking.status, 'accepted');
  if (!isBefore(at, booking.expiresAt)) throw new BookingRequestExpiredError(bookingId, booking.expiresAt);
  return [{ type: 'BookingConfirmed', data: { bookingId, actorId, at } }];
}

function decline(command: DeclineBooking, state: BookingState): Events {
  const { bookingId, actorId, at, reason } = command.data;
  const booking = existing(state, bookingId);
  requireAsked(booking, actorId);
  if (booking.status === 'declined') return [];
  if (!(OPEN_BOOKING_STATUSES as readonly string[]).includes(booking.status)) throw new BookingNotPendingError(bookingId, booking.status, 'declined');
  if (blank(reason)) throw new BookingReasonRequiredError(bookingId, 'declining');
  const withdrawn = booking.status === 'confirmed';
  if (withdrawn && !isBefore(at, booking.from)) throw new SessionStartedError(bookingId, booking.from);
  return [{ type: 'BookingDeclined', data: { bookingId, actorId, at, reason: reason.trim(), withdrawn } }];
}

function expire(command: ExpireBooking, state: BookingState): Events {
  const { bookingId, actorId, at } = command.data;
  const booking = existing(state, bookingId);
  // Answered (or ended) before the timer fired: the timer has nothing left to do.
  if (booking.status !== 'requested') return [];
  if (isBefore(at, booking.expiresAt)) throw new BookingNotYetExpiredError(bookingId, booking.expiresAt);
  return [{ type: 'BookingExpired', data: { bookingId, actorId, at } }];
}

function cancel(command: CancelBooking, state: BookingState): Events {
  const { bookingId, actorId, at, reason, stamp } = command.data;
  const booking = existing(state, bookingId);
  if (!(OPEN_BOOKING_STATUSES as readonly string[]).includes(booking.status)) return [];
  if (blank(reason)) throw new BookingReasonRequiredError(bookingId, 'cancelling');
  if (stamp !== null && !validStamp(stamp)) throw new BookingStampInvalidError(bookingId);
  return [{ type: 'BookingCancelled', data: { bookingId, actorId, at, reason: reason.trim(), stamp, wasConfirmed: booking.status === 'confirmed' } }];
}

function release(command: ReleaseBooking, state: BookingState): Events {
  const { bookingId, actorId, at, successorId, stamp, cause } = command.data;
  const booking = existing(state, bookingId);
  if (!(OPEN_BOOKING_STATUSES as readonly string[]).includes(booking.status)) return [];
  if (stamp !== null && !validStamp(stamp)) throw new BookingStampInvalidError(bookingId);
  const data = { bookingId, actorId, at, successorId, stamp, wasConfirmed: booking.status === 'confirmed' };
  return [{ type: 'BookingReleased', data: cause === undefined || cause === 'role-changed-hands' ? data : { ...data, cause } }];
}

function reschedule(command: RescheduleBooking, state: BookingState): Events {
  const { bookingId, actorId, at, from, to } = command.data;
  const booking = existing(state, bookingId);
  if (!validWindow({ from, to })) throw new BookingRequestInvalidError(bookingId, 'the session window needs instants with from before to');
  if (!(OPEN_BOOKING_STATUSES as readonly string[]).includes(booking.status)) throw new BookingNotPendingError(bookingId, booking.status, 'rescheduled');
  if (sameInstant(booking.from, from) && sameInstant(booking.to, to)) return [];
  return [{ type: 'BookingRescheduled', data: { bookingId, actorId, at, from, to } }];
}

// ---------------------------------------------------------------------------------------------

const onExisting = (state: BookingState, update: (booking: ExistingBooking) => ExistingBooking): BookingState => (state.status === 'none' ? state : update(state));

export function evolveBooking(state: BookingState, event: BookingEvent): BookingState {
  const { at } = event.data;
  switch (event.type) {
    case 'BookingRequested': {
      const { bookingId, sessionId, personId, title, from, to, expiresAt, resolution, stamp } = event.data;
      return { status: 'requested', bookingId, sessionId, personId, title, from, to, expiresAt, resolution, stamp, requestedAt: at, answeredAt: null, reason: null, releaseCause: null };
    }
    case 'BookingConfirmed':
      return onExisting(state, (booking) => ({ ...booking, status: 'confirmed', answeredAt: at }));
    case 'BookingDeclined':
      return onExisting(state, (booking) => ({ ...booking, status: 'declined', answeredAt: at, reason: event.data.reason }));
    case 'BookingExpired':
      return onExisting(state, (booking) => ({ ...booking, status: 'expired' }));
    case 'BookingCancelled':
      return onExisting(state, (booking) => ({ ...booking, status: 'cancelled', reason: event.data.reason }));
    case 'BookingReleased':
      return onExisting(state, (booking) => ({ ...booking, status: 'released', releaseCause: event.data.cause ?? 'role-changed-hands' }));
    case 'BookingRescheduled':
      return onExisting(state, (booking) => ({ ...booking, from: event.data.from, to: event.data.to }));
    default:
      return assertNever(event);
  }
}

/** The booking aggregate (stream `booking-<id>`, see `bookingStreamName`). */
export const bookingDecider: Decider<BookingCommand, BookingEvent, BookingState> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveBooking,
  decide(command, state) {
    switch (command.type) {
      case 'RequestPresenter':
        return request(command, state);
      case 'AcceptBooking':
        return accept(command, state);
      case 'DeclineBooking':
        return decline(command, state);
      case 'ExpireBooking':
        return expire(command, state);
      case 'CancelBooking':
        return cancel(command, state);
      case 'ReleaseBooking':
        return release(command, state);
      case 'RescheduleBooking':
        return reschedule(command, state);
      default:
        return assertNever(command);
    }
  },
};
