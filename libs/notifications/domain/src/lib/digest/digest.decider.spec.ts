import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { at, STOCKHOLM, T0 } from '../../spec/notifications.fixtures';
import { digestWindow, nextDigestWindow } from '../preferences/digest-window';
import type { AttemptOutcome } from '../shared/delivery-attempts';
import type { DigestCommand } from './digest.commands';
import { digestDecider } from './digest.decider';
import { DigestAlreadyReleasedError, DigestNotDueError, DigestNotFoundError, DigestNotSendableError, DigestReleaseInvalidError, DigestWindowMismatchError, DigestWindowOpenError } from './digest.errors';
import type { DigestEvent } from './digest.events';

const DIGEST = 'dg-1';
const WINDOW = digestWindow('hourly', STOCKHOLM, T0);
const OWNER = { personId: 'person-ben', category: 'cases', window: WINDOW, timeZone: STOCKHOLM };
const SYSTEM = 'system:digests';
const given = DeciderSpecification.for(digestDecider);

const cmd = {
  add: (notificationId: string, when = at(1), owner = OWNER): DigestCommand => ({ type: 'AddToDigest', data: { digestId: DIGEST, actorId: SYSTEM, at: when, ...owner, notificationId, deliveryId: `d-${notificationId}` } }),
  release: (when = WINDOW.closesAt, withdrawn: readonly string[] = [], sendAt = when): DigestCommand => ({ type: 'ReleaseDigest', data: { digestId: DIGEST, actorId: SYSTEM, at: when, withdrawn, sendAt } }),
  attempt: (outcome: AttemptOutcome, when = at(61)): DigestCommand => ({ type: 'RecordDigestAttempt', data: { digestId: DIGEST, actorId: SYSTEM, at: when, outcome } }),
};
const added = (notificationId: string, when = at(1)): DigestEvent => ({ type: 'DigestItemAdded', data: { digestId: DIGEST, actorId: SYSTEM, at: when, ...OWNER, notificationId, deliveryId: `d-${notificationId}` } });
const released = (items: readonly string[], withdrawn: readonly string[] = []): DigestEvent => ({
  type: 'DigestReleased',
  data: { digestId: DIGEST, actorId: SYSTEM, at: WINDOW.closesAt, items, withdrawn, sendAt: WINDOW.closesAt },
});
const sent: AttemptOutcome = { kind: 'delivered', responseCode: 250 };
const down: AttemptOutcome = { kind: 'failed', retryable: true, responseCode: null, error: 'ECONNREFUSED' };

describe('digest decider', () => {
  describe('AddToDigest', () => {
    it('opens the window with the first item and adds the next', () => {
      given([]).when(cmd.add('n-1')).then([added('n-1')]);
      given([added('n-1')]).when(cmd.add('n-2', at(2))).then([added('n-2', at(2))]);
    });

    it('changes nothing for a notification added already, before or after the release', () => {
      given([added('n-1')]).when(cmd.add('n-1', at(5))).thenNothingHappens();
      given([added('n-1'), released(['n-1'])]).when(cmd.add('n-1', at(90))).thenNothingHappens();
    });

    it('sends a notification the released window did not carry to the next window', () => {
      given([added('n-1'), released(['n-1'])])
        .when(cmd.add('n-2', at(61)))
        .thenThrows(DigestAlreadyReleasedError, 'digest.already-released', (e) => expect(e.next).toEqual(nextDigestWindow(WINDOW, STOCKHOLM)));
    });

    it('refuses another person, category or window in the stream', () => {
      given([added('n-1')]).when(cmd.add('n-2', at(2), { ...OWNER, category: 'mandates' })).thenThrows(DigestWindowMismatchError, 'digest.window-mismatch');
    });
  });

  describe('ReleaseDigest', () => {
    it('releases the items once the window has closed, without the withdrawn ones', () => {
      given([added('n-1'), added('n-2')]).when(cmd.release()).then([released(['n-1', 'n-2'])]);
      given([added('n-1'), added('n-2')]).when(cmd.release(WINDOW.closesAt, ['n-1'])).then([released(['n-2'], ['n-1'])]);
    });

    it('changes nothing when released twice', () => {
      given([added('n-1'), released(['n-1'])]).when(cmd.release(at(75))).thenNothingHappens();
    });

    it('refuses an open window, an empty one, strangers among the withdrawn, and a send time before the release', () => {
      given([added('n-1')]).when(cmd.release(at(59))).thenThrows(DigestWindowOpenError, 'digest.window-open');
      given([]).when(cmd.release()).thenThrows(DigestNotFoundError, 'digest.not-found');
      given([added('n-1')]).when(cmd.release(WINDOW.closesAt, ['n-9'])).thenThrows(DigestReleaseInvalidError, 'digest.release-invalid');
      given([added('n-1')]).when(cmd.release(WINDOW.closesAt, [], at(30))).thenThrows(DigestReleaseInvalidError, 'digest.release-invalid');
    });
  });

  describe('RecordDigestAttempt', () => {
    const base = { digestId: DIGEST, actorId: SYSTEM, at: at(61), attempt: 1 };

    it('records the e-mail sent, or a failure with the next attempt', () => {
      given([added('n-1'), released(['n-1'])]).when(cmd.attempt(sent)).then([{ type: 'DigestSent', data: { ...base, responseCode: 250 } }]);
      const produced = digestDecider.decide(cmd.attempt(down), fold(digestDecider, [added('n-1'), released(['n-1'])]));
      expect(produced).toMatchObject([{ type: 'DigestAttemptFailed', data: { ...base, responseCode: null, error: 'ECONNREFUSED', nextAttemptAt: expect.any(String) } }]);
    });

    it('changes nothing for a success reported again', () => {
      given([added('n-1'), released(['n-1']), { type: 'DigestSent', data: { ...base, responseCode: 250 } }]).when(cmd.attempt(sent, at(70))).thenNothingHappens();
    });

    it('refuses attempts before the release, before the retry is due, and after it was sent', () => {
      given([added('n-1')]).when(cmd.attempt(sent)).thenThrows(DigestNotSendableError, 'digest.not-sendable');
      const failed: DigestEvent = { type: 'DigestAttemptFailed', data: { ...base, responseCode: null, error: 'x', nextAttemptAt: at(62) } };
      given([added('n-1'), released(['n-1']), failed]).when(cmd.attempt(sent, at(61.5))).thenThrows(DigestNotDueError, 'digest.not-due');
      given([added('n-1'), released(['n-1']), { type: 'DigestSent', data: { ...base, responseCode: 250 } }]).when(cmd.attempt(down, at(70))).thenThrows(DigestNotSendableError, 'digest.not-sendable');
    });
  });

  it('lets exactly one of two concurrent adds win at a revision; the loser retries on the new state and both are in', () => {
    // Both read the empty stream (revision none) and decide; the store appends the first, refuses the second (409).
    const first = digestDecider.decide(cmd.add('n-1'), fold(digestDecider, []));
    const second = digestDecider.decide(cmd.add('n-2'), fold(digestDecider, []));
    expect([first.length, second.length]).toEqual([1, 1]);
    const retried = digestDecider.decide(cmd.add('n-2'), fold(digestDecider, first));
    const state = fold(digestDecider, [...first, ...retried]);
    expect(state.status !== 'none' && state.items.map((i) => i.notificationId)).toEqual(['n-1', 'n-2']);
  });
});
