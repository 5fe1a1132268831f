import { DomainRuleError } from '@leadership/kernel';

/**
 * A person is never confirmed on two overlapping sessions; the refusal names the other booking so
 * the API can answer 409 with it and the onboarding manager can pick another time or person.
 */
export class PresenterDoubleBookedError extends DomainRuleError {
  override readonly name = 'PresenterDoubleBookedError';
  constructor(readonly personId: string, readonly bookingId: string, readonly otherBookingId: string, readonly otherSessionId: string) {
    super('presenter.double-booked', `${personId} presents session ${otherSessionId} (booking ${otherBookingId}) at that time`, {
      personId,
      bookingId,
      otherBookingId,
      otherSessionId,
    });
  }
}

/** A presenter on leave or otherwise absent during the session is not asked, and cannot confirm. */
export class PresenterAbsentError extends DomainRuleError {
  override readonly name = 'PresenterAbsentError';
  constructor(readonly personId: string, readonly bookingId: string, readonly absence: { readonly from: string; readonly to: string }) {
    super('presenter.absent', `${personId} is absent from ${absence.from} to ${absence.to}`, { personId, bookingId, absence });
  }
}

/** Sessions are non-empty windows of instants. */
export class PresenterSlotInvalidError extends DomainRuleError {
  override readonly name = 'PresenterSlotInvalidError';
  constructor(readonly personId: string, readonly bookingId: string) {
    super('presenter.slot-invalid', `booking ${bookingId} of ${personId} needs a window with from before to`, { personId, bookingId });
  }
}
