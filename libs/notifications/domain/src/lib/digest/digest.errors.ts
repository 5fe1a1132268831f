import { DomainRuleError } from '@leadership/kernel';
import type { DigestWindow } from '../preferences/digest-window';

/** Release and send attempts need a digest that something was added to. */
export class DigestNotFoundError extends DomainRuleError {
  override readonly name = 'DigestNotFoundError';
  constructor(readonly digestId: string) {
    super('digest.not-found', `digest ${digestId} has no items`, { digestId });
  }
}

/** A digest stream is one person's, one category's, one window's: its id is derived from them. */
export class DigestWindowMismatchError extends DomainRuleError {
  override readonly name = 'DigestWindowMismatchError';
  constructor(readonly digestId: string) {
    super('digest.window-mismatch', `digest ${digestId} collects for another person, category or window`, { digestId });
  }
}

/**
 * The window was released without this notification: it goes to the next window (`next`), never
 * into a digest that was sent already.
 */
export class DigestAlreadyReleasedError extends DomainRuleError {
  override readonly name = 'DigestAlreadyReleasedError';
  constructor(readonly digestId: string, readonly next: DigestWindow) {
    super('digest.already-released', `digest ${digestId} was released; add the notification to the window ${next.key}`, { digestId, next });
  }
}

/** A window is released when it has closed. */
export class DigestWindowOpenError extends DomainRuleError {
  override readonly name = 'DigestWindowOpenError';
  constructor(readonly digestId: string, readonly closesAt: string) {
    super('digest.window-open', `digest ${digestId} collects until ${closesAt}`, { digestId, closesAt });
  }
}

/** Withdrawn items are items of the digest; the e-mail goes no earlier than the release. */
export class DigestReleaseInvalidError extends DomainRuleError {
  override readonly name = 'DigestReleaseInvalidError';
  constructor(readonly digestId: string, readonly reason: string) {
    super('digest.release-invalid', `digest ${digestId}: ${reason}`, { digestId, reason });
  }
}

/** Send attempts are for a released digest that is still to be sent (not sent or dead-lettered already). */
export class DigestNotSendableError extends DomainRuleError {
  override readonly name = 'DigestNotSendableError';
  constructor(readonly digestId: string, readonly status: string) {
    super('digest.not-sendable', `digest ${digestId} is ${status}: no send attempt to record`, { digestId, status });
  }
}

/** A send attempt before the digest's send time (quiet hours, back-off). */
export class DigestNotDueError extends DomainRuleError {
  override readonly name = 'DigestNotDueError';
  constructor(readonly digestId: string, readonly notBefore: string) {
    super('digest.not-due', `digest ${digestId} may not be sent before ${notBefore}`, { digestId, notBefore });
  }
}
