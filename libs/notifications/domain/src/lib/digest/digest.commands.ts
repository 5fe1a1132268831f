import type { DigestWindow } from '../preferences/digest-window';
import type { AttemptOutcome, RetryPolicy } from '../shared/delivery-attempts';

/*
 * Commands of the digest aggregate: one stream per (person, category, window), named by
 * `digestIdFor`, so every trigger that wants to add to a window writes to the same stream.
 */

interface DigestCommandData {
  readonly digestId: string;
  readonly actorId: string;
  readonly at: string;
}

/** The window a digest collects for. */
export interface DigestOwner {
  readonly personId: string;
  readonly category: string;
  readonly window: DigestWindow;
  /** The person's zone, for the next window (daily windows close at 08:00 local). */
  readonly timeZone: string;
}

/**
 * Adds a notification's e-mail to the digest; idempotent by notification id, also after the release
 * (a notification the released digest carried is done; one it did not carry is refused, and goes to
 * `nextDigestWindow`).
 */
export interface AddToDigest {
  readonly type: 'AddToDigest';
  readonly data: DigestCommandData & DigestOwner & { readonly notificationId: string; readonly deliveryId: string };
}

/** Closes the window (at or after `closesAt`) and lists what the one e-mail carries. */
export interface ReleaseDigest {
  readonly type: 'ReleaseDigest';
  readonly data: DigestCommandData & {
    /** Items no longer addressed to the person (stillAddressed false); they are redirected, not sent here. */
    readonly withdrawn: readonly string[];
    /** When the e-mail may go (nextSendWindow of the person at release: a digest waits for quiet hours to end too). */
    readonly sendAt: string;
  };
}

/** The outcome of one attempt to send the released digest's e-mail. */
export interface RecordDigestAttempt {
  readonly type: 'RecordDigestAttempt';
  /** `retryPolicy`: as on RecordDeliveryAttempt (default DEFAULT_RETRY_POLICY). */
  readonly data: DigestCommandData & { readonly outcome: AttemptOutcome; readonly retryPolicy?: RetryPolicy };
}

export type DigestCommand = AddToDigest | ReleaseDigest | RecordDigestAttempt;
