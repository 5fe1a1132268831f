import type { DigestOwner } from './digest.commands';

/* Events of the digest stream (`digest-<digestId>`); each carries the digest id, who and when. */

interface DigestEventData {
  readonly digestId: string;
  readonly actorId: string;
  readonly at: string;
}

/** Every item carries the window, so the first one opens the stream without a separate event. */
export interface DigestItemAdded {
  readonly type: 'DigestItemAdded';
  readonly data: DigestEventData & DigestOwner & { readonly notificationId: string; readonly deliveryId: string };
}

export interface DigestReleased {
  readonly type: 'DigestReleased';
  readonly data: DigestEventData & {
    /** Notification ids the e-mail carries, in the order they were added. */
    readonly items: readonly string[];
    readonly withdrawn: readonly string[];
    readonly sendAt: string;
  };
}

interface DigestAttemptData extends DigestEventData {
  readonly attempt: number;
  readonly responseCode: number | null;
}

export interface DigestSent {
  readonly type: 'DigestSent';
  readonly data: DigestAttemptData;
}

export interface DigestAttemptFailed {
  readonly type: 'DigestAttemptFailed';
  readonly data: DigestAttemptData & { readonly error: string; readonly nextAttemptAt: string };
}

export interface DigestDeadLettered {
  readonly type: 'DigestDeadLettered';
  readonly data: DigestAttemptData & { readonly error: string };
}

/** The one event union of the digest aggregate. */
export type DigestEvent = DigestItemAdded | DigestReleased | DigestSent | DigestAttemptFailed | DigestDeadLettered;
