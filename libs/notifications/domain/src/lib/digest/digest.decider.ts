import { assertNever, type Decider } from '@leadership/kernel';
import { nextDigestWindow } from '../preferences/digest-window';
import { afterFailure, DEFAULT_RETRY_POLICY, MAX_ERROR_LENGTH } from '../shared/delivery-attempts';
import { isBefore } from '../shared/instant';
import { sameJson } from '../shared/same-json';
import type { AddToDigest, DigestCommand, DigestOwner, RecordDigestAttempt, ReleaseDigest } from './digest.commands';
import {
  DigestAlreadyReleasedError,
  DigestNotDueError,
  DigestNotFoundError,
  DigestNotSendableError,
  DigestReleaseInvalidError,
  DigestWindowMismatchError,
  DigestWindowOpenError,
} from './digest.errors';
import type { DigestEvent } from './digest.events';

/*
 * Why digests cannot be duplicated, lost on retry, or lose items under concurrent triggers (the
 * three failures Novu users report): every trigger for a (person, category, window) writes to the
 * one stream `digestIdFor` names, at the revision it read, so of two concurrent adds one wins and
 * the other is retried on the new state; AddToDigest is idempotent by notification id, before and
 * after the release; ReleaseDigest happens once, and the release lists exactly the items the e-mail
 * carries. A notification the released window did not carry is refused with the next window, and
 * since every retry follows the same chain of windows from the one its delivery was planned with,
 * it lands in exactly one released digest. The e-mail's send attempts are recorded here too, so a
 * released digest stays "to be sent" until it is sent or dead-lettered: a crash between release
 * and send loses nothing.
 */

/** Where a digest stands: collecting, released and to be sent (retrying after a failure), sent, or dead-lettered. */
export type DigestStatus = 'open' | 'released' | 'retrying' | 'sent' | 'dead-lettered';

/** A notification waiting in a digest. */
export interface DigestItem {
  readonly notificationId: string;
  readonly deliveryId: string;
  readonly addedAt: string;
}

/** A digest with at least one item. */
export interface ExistingDigest extends DigestOwner {
  readonly status: DigestStatus;
  readonly digestId: string;
  readonly items: readonly DigestItem[];
  /** What the e-mail carries (set by the release). */
  readonly released: readonly string[];
  readonly withdrawn: readonly string[];
  readonly releasedAt: string | null;
  /** The next send attempt is due then (after the release). */
  readonly notBefore: string | null;
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly lastError: string | null;
  readonly sentAt: string | null;
}

export type DigestState = { readonly status: 'none' } | ExistingDigest;

type Events = readonly DigestEvent[];

function existing(state: DigestState, digestId: string): ExistingDigest {
  if (state.status === 'none') throw new DigestNotFoundError(digestId);
  return state;
}

const ownerOf = ({ personId, category, window, timeZone }: DigestOwner): DigestOwner => ({ personId, category, window, timeZone });

function add(command: AddToDigest, state: DigestState): Events {
  const { digestId, actorId, at, notificationId, deliveryId } = command.data;
  const owner = ownerOf(command.data);
  if (state.status !== 'none') {
    if (!sameJson(ownerOf(state), owner)) throw new DigestWindowMismatchError(digestId);
    if (state.items.some((item) => item.notificationId === notificationId)) return [];
    if (state.status !== 'open') throw new DigestAlreadyReleasedError(digestId, nextDigestWindow(state.window, state.timeZone));
  }
  return [{ type: 'DigestItemAdded', data: { digestId, actorId, at, ...owner, notificationId, deliveryId } }];
}

function release(command: ReleaseDigest, state: DigestState): Events {
  const { digestId, actorId, at, sendAt } = command.data;
  const current = existing(state, digestId);
  if (current.status !== 'open') return [];
  if (isBefore(at, current.window.closesAt)) throw new DigestWindowOpenError(digestId, current.window.closesAt);
  const ids = current.items.map((item) => item.notificationId);
  const withdrawn = [...new Set(command.data.withdrawn)];
  if (withdrawn.some((id) => !ids.includes(id))) throw new DigestReleaseInvalidError(digestId, 'withdrawn items must be items of the digest');
  if (isBefore(sendAt, at)) throw new DigestReleaseInvalidError(digestId, 'the e-mail cannot be sent before the release');
  const items = ids.filter((id) => !withdrawn.includes(id));
  return [{ type: 'DigestReleased', data: { digestId, actorId, at, items, withdrawn, sendAt } }];
}

function recordAttempt(command: RecordDigestAttempt, state: DigestState): Events {
  const { digestId, actorId, at, outcome } = command.data;
  const current = existing(state, digestId);
  // The same attempt reported twice, or a success reported again, changes nothing.
  if (current.lastAttemptAt === at || (current.status === 'sent' && outcome.kind === 'delivered')) return [];
  if (current.status !== 'released' && current.status !== 'retrying') throw new DigestNotSendableError(digestId, current.status);
  if (current.notBefore !== null && isBefore(at, current.notBefore)) throw new DigestNotDueError(digestId, current.notBefore);
  const base = { digestId, actorId, at, attempt: current.attempts + 1, responseCode: outcome.responseCode };
  if (outcome.kind === 'delivered') return [{ type: 'DigestSent', data: base }];
  const error = outcome.error.slice(0, MAX_ERROR_LENGTH);
  const next = afterFailure(command.data.retryPolicy ?? DEFAULT_RETRY_POLICY, base.attempt, outcome.retryable, at, digestId);
  return next.kind === 'retry'
    ? [{ type: 'DigestAttemptFailed', data: { ...base, error, nextAttemptAt: next.nextAttemptAt } }]
    : [{ type: 'DigestDeadLettered', data: { ...base, error } }];
}

function evolve(state: DigestState, event: DigestEvent): DigestState {
  if (event.type === 'DigestItemAdded') {
    const { digestId, at, notificationId, deliveryId } = event.data;
    const item = { notificationId, deliveryId, addedAt: at };
    if (state.status !== 'none') return { ...state, items: [...state.items, item] };
    const empty = { released: [], withdrawn: [], releasedAt: null, notBefore: null, attempts: 0, lastAttemptAt: null, lastError: null, sentAt: null };
    return { status: 'open', digestId, ...ownerOf(event.data), items: [item], ...empty };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'DigestReleased':
      return { ...state, status: 'released', released: event.data.items, withdrawn: event.data.withdrawn, releasedAt: event.data.at, notBefore: event.data.sendAt };
    case 'DigestSent':
      return { ...state, status: 'sent', attempts: event.data.attempt, lastAttemptAt: event.data.at, sentAt: event.data.at, lastError: null };
    case 'DigestAttemptFailed': {
      const { attempt, at, error, nextAttemptAt } = event.data;
      return { ...state, status: 'retrying', attempts: attempt, lastAttemptAt: at, lastError: error, notBefore: nextAttemptAt };
    }
    case 'DigestDeadLettered':
      return { ...state, status: 'dead-lettered', attempts: event.data.attempt, lastAttemptAt: event.data.at, lastError: event.data.error };
    default:
      return assertNever(event);
  }
}

/** The digest aggregate as a decider (stream `digest-<digestId>`, see `digestIdFor`). */
export const digestDecider: Decider<DigestCommand, DigestEvent, DigestState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide(command, state) {
    switch (command.type) {
      case 'AddToDigest':
        return add(command, state);
      case 'ReleaseDigest':
        return release(command, state);
      case 'RecordDigestAttempt':
        return recordAttempt(command, state);
      default:
        return assertNever(command);
    }
  },
};
