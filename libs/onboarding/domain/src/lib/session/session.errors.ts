import { DomainRuleError } from '@leadership/kernel';

export class SessionNotFoundError extends DomainRuleError {
  override readonly name = 'SessionNotFoundError';
  constructor(readonly sessionId: string) {
    super('session.not-found', `session ${sessionId} does not exist`, { sessionId });
  }
}

/** A session id names one session of one plan step. */
export class SessionAlreadyExistsError extends DomainRuleError {
  override readonly name = 'SessionAlreadyExistsError';
  constructor(readonly sessionId: string) {
    super('session.already-exists', `session ${sessionId} exists with other details`, { sessionId });
  }
}

/** Title, a non-empty window, a valid presenter slot, attendees within capacity. */
export class SessionDetailsInvalidError extends DomainRuleError {
  override readonly name = 'SessionDetailsInvalidError';
  constructor(readonly sessionId: string, readonly problem: string) {
    super('session.details-invalid', `session ${sessionId}: ${problem}`, { sessionId, problem });
  }
}

export class SessionStampInvalidError extends DomainRuleError {
  override readonly name = 'SessionStampInvalidError';
  constructor(readonly sessionId: string) {
    super('session.stamp-invalid', `session ${sessionId}: the decision stamp is incomplete`, { sessionId });
  }
}

/** A cancelled session stays cancelled (its CANCEL went out); a new one is scheduled under a new id. */
export class SessionCancelledError extends DomainRuleError {
  override readonly name = 'SessionCancelledError';
  constructor(readonly sessionId: string, readonly action: string) {
    super('session.cancelled', `session ${sessionId} is cancelled; it cannot ${action}`, { sessionId, action });
  }
}

/** One presenter at a time: the current one's booking is released or withdrawn before another is assigned. */
export class SessionPresenterTakenError extends DomainRuleError {
  override readonly name = 'SessionPresenterTakenError';
  constructor(readonly sessionId: string, readonly presenterId: string, readonly bookingId: string) {
    super('session.presenter-taken', `session ${sessionId} is presented by ${presenterId} (booking ${bookingId})`, { sessionId, presenterId, bookingId });
  }
}
