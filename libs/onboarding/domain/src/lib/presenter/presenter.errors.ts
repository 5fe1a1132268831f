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

/** A request for the session expired unanswered: the person is not asked for it again automatically. */
export class PresenterDidNotAnswerError extends DomainRuleError {
  override readonly name = 'PresenterDidNotAnswerError';
  constructor(readonly personId: string, readonly sessionId: string, readonly expiredBookingId: string) {
    super('presenter.did-not-answer', `${personId} let the request to present session ${sessionId} expire (booking ${expiredBookingId})`, { personId, sessionId, expiredBookingId });
  }
}

/** An attendee of the session (the newcomer) does not present it. */
export class PresenterAttendsSessionError extends DomainRuleError {
  override readonly name = 'PresenterAttendsSessionError';
  constructor(readonly personId: string, readonly sessionId: string) {
    super('presenter.attends-session', `${personId} attends session ${sessionId}`, { personId, sessionId });
  }
}

/** Sessions are non-empty windows of instants. */
export class PresenterSlotInvalidError extends DomainRuleError {
  override readonly name = 'PresenterSlotInvalidError';
  constructor(readonly personId: string, readonly bookingId: string) {
    super('presenter.slot-invalid', `booking ${bookingId} of ${personId} needs a window with from before to`, { personId, bookingId });
  }
}
