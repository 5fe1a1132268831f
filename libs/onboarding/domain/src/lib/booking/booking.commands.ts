import type { TimeWindow } from '../shared/instant';
import type { DecisionStamp, RoleAddress } from '../shared/onboarding-vocabulary';
import type { PresenterSlot } from '../presenter/presenter-conflicts';

/*
 * Commands of the booking decider (stream `booking-<id>`): one request to one person to present one
 * session, and its answer. A declined or expired booking stays as it is; asking the next candidate
 * is a new booking (so each answer stays on record with the request it answered).
 */

/**
 * Who is asked for a role besides its holder, once the holder said no to the session (declined, or
 * let the request expire): the deputy named on the holder's mandate, then the unit's formal manager.
 */
export type RoleStandIn = 'deputy' | 'formal-manager';

/**
 * How the person was found. A role or skill is resolved by the application; a role's resolution
 * keeps the mandate (id and version) that made the person its holder — or, for a stand-in, the
 * holder's mandate they stand in for — so a later change of holder can be recognised and the
 * booking released.
 */
export type PresenterResolution =
  | { readonly basis: 'person' }
  | { readonly basis: 'role'; readonly role: RoleAddress; readonly mandateId: string; readonly mandateVersion: number; readonly standIn?: RoleStandIn }
  | { readonly basis: 'skill'; readonly skill: string };

/** Why a booking was released: the role changed hands (the hand-over), or the presenter became absent then. */
export type ReleaseCause = 'role-changed-hands' | 'presenter-absent';

interface BookingCommandData {
  readonly bookingId: string;
  readonly at: string;
}

/** Asks a person to present a session, until `expiresAt`. */
export interface RequestPresenter {
  readonly type: 'RequestPresenter';
  readonly data: BookingCommandData &
    TimeWindow & {
      readonly stamp: DecisionStamp;
      readonly sessionId: string;
      readonly personId: string;
      /** The session's title, as the request shows it. */
      readonly title: string;
      readonly expiresAt: string;
      readonly resolution: PresenterResolution;
      /** Facts: the person's absences and confirmed sessions (from their calendar), so nobody absent or busy is asked. */
      readonly absences: readonly TimeWindow[];
      readonly confirmed: readonly PresenterSlot[];
      /** Facts: the session's declined bookings, so nobody who said no to this session is asked again. */
      readonly declined: readonly { readonly bookingId: string; readonly personId: string }[];
    };
}

/** The asked person confirms (after their calendar reserved the time). */
export interface AcceptBooking {
  readonly type: 'AcceptBooking';
  readonly data: BookingCommandData & { readonly actorId: string };
}

/** The asked person says no, with a reason; a confirmed presenter may still withdraw before the session starts. */
export interface DeclineBooking {
  readonly type: 'DeclineBooking';
  readonly data: BookingCommandData & { readonly actorId: string; readonly reason: string };
}

/** The request timer fired unanswered. */
export interface ExpireBooking {
  readonly type: 'ExpireBooking';
  readonly data: BookingCommandData & { readonly actorId: string };
}

/** The session was removed or cancelled: the booking ends (a CANCEL goes to the presenter). */
export interface CancelBooking {
  readonly type: 'CancelBooking';
  readonly data: BookingCommandData & { readonly actorId: string; readonly reason: string; readonly stamp: DecisionStamp | null };
}

/**
 * The presenter is let go without their doing: the role they were booked for changed hands, or they
 * became absent for the session. `successorId` is asked next (null: nobody is known yet).
 */
export interface ReleaseBooking {
  readonly type: 'ReleaseBooking';
  readonly data: BookingCommandData & { readonly actorId: string; readonly successorId: string | null; readonly stamp: DecisionStamp | null; readonly cause?: ReleaseCause };
}

/** The session moved: the booking follows (a confirmed one after the presenter's calendar took the new time). */
export interface RescheduleBooking {
  readonly type: 'RescheduleBooking';
  readonly data: BookingCommandData & TimeWindow & { readonly actorId: string };
}

export type BookingCommand = RequestPresenter | AcceptBooking | DeclineBooking | ExpireBooking | CancelBooking | ReleaseBooking | RescheduleBooking;
