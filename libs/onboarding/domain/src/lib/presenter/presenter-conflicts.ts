import { overlaps, type TimeWindow } from '../shared/instant';
import { PresenterAbsentError, PresenterDoubleBookedError } from './presenter.errors';

/** A session a person presents (confirmed), as their calendar holds it. */
export interface PresenterSlot extends TimeWindow {
  readonly bookingId: string;
  readonly sessionId: string;
}

/**
 * Refuses a window in which the person is absent, or overlapping another booking's slot. One rule,
 * used where a person is asked (so nobody absent or busy is asked) and where a confirmation is
 * recorded (the calendar, which is what makes it hold under concurrency).
 */
export function refusePresenterConflicts(
  personId: string,
  bookingId: string,
  window: TimeWindow,
  absences: readonly TimeWindow[],
  busy: readonly PresenterSlot[],
): void {
  const absence = absences.find((candidate) => overlaps(candidate, window));
  if (absence) throw new PresenterAbsentError(personId, bookingId, { from: absence.from, to: absence.to });
  const other = busy.find((slot) => slot.bookingId !== bookingId && overlaps(slot, window));
  if (other) throw new PresenterDoubleBookedError(personId, bookingId, other.bookingId, other.sessionId);
}
