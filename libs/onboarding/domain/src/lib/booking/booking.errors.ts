import { DomainRuleError } from '@leadership/kernel';

export class BookingNotFoundError extends DomainRuleError {
  override readonly name = 'BookingNotFoundError';
  constructor(readonly bookingId: string) {
    super('booking.not-found', `booking ${bookingId} does not exist`, { bookingId });
  }
}

/** A booking id names one request; another request needs another id. */
export class BookingAlreadyExistsError extends DomainRuleError {
  override readonly name = 'BookingAlreadyExistsError';
  constructor(readonly bookingId: string) {
    super('booking.already-exists', `booking ${bookingId} exists with another request`, { bookingId });
  }
}

export class BookingStampInvalidError extends DomainRuleError {
  override readonly name = 'BookingStampInvalidError';
  constructor(readonly bookingId: string) {
    super('booking.stamp-invalid', `booking ${bookingId}: the decision stamp is incomplete`, { bookingId });
  }
}

/** A request names a session window and a person, and expires no later than the session starts (an answer after it is useless). */
export class BookingRequestInvalidError extends DomainRuleError {
  override readonly name = 'BookingRequestInvalidError';
  constructor(readonly bookingId: string, readonly problem: string) {
    super('booking.request-invalid', `booking ${bookingId}: ${problem}`, { bookingId, problem });
  }
}

/** Only the person asked answers a request. */
export class NotAskedPresenterError extends DomainRuleError {
  override readonly name = 'NotAskedPresenterError';
  constructor(readonly bookingId: string, readonly actorId: string) {
    super('booking.not-asked', `${actorId} was not asked in booking ${bookingId}`, { bookingId, actorId });
  }
}

/** The booking is no longer waiting for this (declined, expired, cancelled, released, or confirmed already). */
export class BookingNotPendingError extends DomainRuleError {
  override readonly name = 'BookingNotPendingError';
  constructor(readonly bookingId: string, readonly status: string, readonly action: string) {
    super('booking.not-pending', `booking ${bookingId} is ${status}; it cannot be ${action}`, { bookingId, status, action });
  }
}

/** The request ran out before the answer came (the next candidate may already be asked). */
export class BookingRequestExpiredError extends DomainRuleError {
  override readonly name = 'BookingRequestExpiredError';
  constructor(readonly bookingId: string, readonly expiresAt: string) {
    super('booking.request-expired', `booking ${bookingId} expired at ${expiresAt}`, { bookingId, expiresAt });
  }
}

/** A timer that fires early (clock skew) does not end a request that still runs. */
export class BookingNotYetExpiredError extends DomainRuleError {
  override readonly name = 'BookingNotYetExpiredError';
  constructor(readonly bookingId: string, readonly expiresAt: string) {
    super('booking.not-yet-expired', `booking ${bookingId} runs until ${expiresAt}`, { bookingId, expiresAt });
  }
}

/** A decline says why: the onboarding manager picks the next candidate with it. */
export class BookingReasonRequiredError extends DomainRuleError {
  override readonly name = 'BookingReasonRequiredError';
  constructor(readonly bookingId: string, readonly action: string) {
    super('booking.reason-required', `booking ${bookingId}: ${action} needs a reason`, { bookingId, action });
  }
}

/** Whoever said no to a session (declined, or withdrew) is not asked to present it again. */
export class PresenterDeclinedSessionError extends DomainRuleError {
  override readonly name = 'PresenterDeclinedSessionError';
  constructor(readonly personId: string, readonly sessionId: string, readonly declinedBookingId: string) {
    super('presenter.declined-session', `${personId} declined to present session ${sessionId} (booking ${declinedBookingId})`, { personId, sessionId, declinedBookingId });
  }
}

/** Once the session has begun, the presenter is presenting: a withdrawal then is a no-show, not a decline. */
export class SessionStartedError extends DomainRuleError {
  override readonly name = 'SessionStartedError';
  constructor(readonly bookingId: string, readonly from: string) {
    super('booking.session-started', `booking ${bookingId}: the session started at ${from}`, { bookingId, from });
  }
}
