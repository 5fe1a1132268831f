import type { TimeWindow } from '../shared/instant';
import type { DecisionStamp } from '../shared/onboarding-vocabulary';
import type { PresenterResolution, ReleaseCause } from './booking.commands';

/* Events of the booking stream (`booking-<id>`). */

interface BookingEventData {
  readonly bookingId: string;
  readonly actorId: string;
  readonly at: string;
}

export interface BookingRequested {
  readonly type: 'BookingRequested';
  readonly data: BookingEventData &
    TimeWindow & {
      readonly stamp: DecisionStamp;
      readonly sessionId: string;
      readonly personId: string;
      readonly title: string;
      readonly expiresAt: string;
      readonly resolution: PresenterResolution;
    };
}

export interface BookingConfirmed {
  readonly type: 'BookingConfirmed';
  readonly data: BookingEventData;
}

/** `withdrawn`: the presenter had confirmed and stepped back before the session. */
export interface BookingDeclined {
  readonly type: 'BookingDeclined';
  readonly data: BookingEventData & { readonly reason: string; readonly withdrawn: boolean };
}

export interface BookingExpired {
  readonly type: 'BookingExpired';
  readonly data: BookingEventData;
}

export interface BookingCancelled {
  readonly type: 'BookingCancelled';
  readonly data: BookingEventData & { readonly reason: string; readonly stamp: DecisionStamp | null; readonly wasConfirmed: boolean };
}

/** `cause` absent: written before there was another cause than the role changing hands. */
export interface BookingReleased {
  readonly type: 'BookingReleased';
  readonly data: BookingEventData & { readonly successorId: string | null; readonly stamp: DecisionStamp | null; readonly wasConfirmed: boolean; readonly cause?: ReleaseCause };
}

export interface BookingRescheduled {
  readonly type: 'BookingRescheduled';
  readonly data: BookingEventData & TimeWindow;
}

/** The one event union of the booking aggregate. */
export type BookingEvent = BookingRequested | BookingConfirmed | BookingDeclined | BookingExpired | BookingCancelled | BookingReleased | BookingRescheduled;
