import type { TimeWindow } from '../shared/instant';

/*
 * Commands of a presenter's calendar (stream `presenter-<personId>`): the sessions the person is
 * confirmed to present. It is the one place that knows all of them, so the rule "never two at the
 * same time" is decided here, against the stream's revision (see the README).
 */

interface PresenterCommandData {
  readonly personId: string;
  readonly actorId: string;
  readonly at: string;
}

/**
 * Holds the time of a confirmed booking (on accept, before the booking records its confirmation),
 * or moves it when the session moves. `absences` are the person's absences as the application knows them.
 */
export interface ReserveSlot {
  readonly type: 'ReserveSlot';
  readonly data: PresenterCommandData & TimeWindow & { readonly bookingId: string; readonly sessionId: string; readonly absences: readonly TimeWindow[] };
}

/** Frees the time of a booking that was cancelled, released or withdrawn. */
export interface FreeSlot {
  readonly type: 'FreeSlot';
  readonly data: PresenterCommandData & { readonly bookingId: string };
}

export type PresenterCommand = ReserveSlot | FreeSlot;
