import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { at, T0 } from '../../spec/notifications.fixtures';
import type { WebhookCommand } from './webhook.commands';
import { webhookDecider, type ExistingWebhook } from './webhook.decider';
import {
  WebhookEventTypesInvalidError,
  WebhookNotFoundError,
  WebhookOverlapInvalidError,
  WebhookReasonRequiredError,
  WebhookSecretInvalidError,
  WebhookUrlInvalidError,
} from './webhook.errors';
import type { WebhookEvent } from './webhook.events';
import { matches, signingSecrets, webhookMessage } from './webhook-signing';

const ID = 'w-1';
const ADMIN = 'person-admin';
// 32 bytes of key, base64.
const OLD = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3kkSyhA7mc8=';
const NEW = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD0l9Ew6nbnp4=';
const URL_ = 'https://hr.example.com/hooks/leadership';
const given = DeciderSpecification.for(webhookDecider);

const put = (extra: Partial<Extract<WebhookCommand, { type: 'PutWebhook' }>['data']> = {}): WebhookCommand => ({
  type: 'PutWebhook',
  data: { webhookId: ID, actorId: ADMIN, at: T0, url: URL_, eventTypes: ['mandate.*'], secret: OLD, ...extra },
});
const rotate = (secret = NEW, overlapHours?: number): WebhookCommand => ({ type: 'RotateWebhookSecret', data: { webhookId: ID, actorId: ADMIN, at: at(60), secret, ...(overlapHours === undefined ? {} : { overlapHours }) } });
const created: WebhookEvent = { type: 'WebhookCreated', data: { webhookId: ID, actorId: ADMIN, at: T0, url: URL_, eventTypes: ['mandate.*'], secret: OLD } };
const rotated = (previousValidUntil = at(60 + 24 * 60)): WebhookEvent => ({ type: 'WebhookSecretRotated', data: { webhookId: ID, actorId: ADMIN, at: at(60), secret: NEW, previousValidUntil } });
const disabled: WebhookEvent = { type: 'WebhookDisabled', data: { webhookId: ID, actorId: ADMIN, at: at(5), reason: 'receiver moved' } };

const subscription = (events: readonly WebhookEvent[]): ExistingWebhook => {
  const state = fold(webhookDecider, events);
  if (state.status === 'none') throw new Error('no subscription');
  return state;
};

describe('webhook subscription decider', () => {
  describe('PutWebhook', () => {
    it('creates a subscription; http is allowed on localhost only', () => {
      given([]).when(put()).then([created]);
      given([]).when(put({ url: 'http://localhost:4000/hook' })).then([{ ...created, data: { ...created.data, url: 'http://localhost:4000/hook' } } as WebhookEvent]);
    });

    it('changes nothing for the same PUT, or one without a secret', () => {
      given([created]).when(put()).thenNothingHappens();
      given([created]).when(put({ secret: null })).thenNothingHappens();
    });

    it('updates url and filters, and rotates to a new secret with the default overlap', () => {
      given([created])
        .when(put({ eventTypes: ['*'], secret: NEW, at: at(60) }))
        .then([{ type: 'WebhookUpdated', data: { webhookId: ID, actorId: ADMIN, at: at(60), url: URL_, eventTypes: ['*'] } }, rotated()]);
    });

    it('refuses bad urls, filters and secrets, and a new subscription without a secret', () => {
      for (const url of ['http://hr.example.com/hook', 'ftp://localhost/x', 'https://user:pw@hr.example.com/', 'https://hr.example.com/#x', 'not a url']) {
        given([]).when(put({ url })).thenThrows(WebhookUrlInvalidError, 'webhook.url-invalid');
      }
      given([]).when(put({ eventTypes: [] })).thenThrows(WebhookEventTypesInvalidError, 'webhook.event-types-invalid');
      given([]).when(put({ eventTypes: ['Mandate Proposed'] })).thenThrows(WebhookEventTypesInvalidError, 'webhook.event-types-invalid');
      given([]).when(put({ secret: 'hunter2' })).thenThrows(WebhookSecretInvalidError, 'webhook.secret-invalid', (e) => !e.message.includes('hunter2'));
      given([]).when(put({ secret: 'whsec_c2hvcnQ=' })).thenThrows(WebhookSecretInvalidError, 'webhook.secret-invalid');
      given([]).when(put({ secret: null })).thenThrows(WebhookSecretInvalidError, 'webhook.secret-invalid');
    });
  });

  describe('RotateWebhookSecret', () => {
    it('rotates, keeping the old secret for the overlap', () => {
      given([created]).when(rotate()).then([rotated()]);
      given([created]).when(rotate(NEW, 2)).then([rotated(at(180))]);
    });

    it('changes nothing when rotating to the current secret', () => {
      given([created, rotated()]).when(rotate()).thenNothingHappens();
    });

    it('refuses unknown subscriptions and overlaps beyond a week', () => {
      given([]).when(rotate()).thenThrows(WebhookNotFoundError, 'webhook.not-found');
      given([created]).when(rotate(NEW, 169)).thenThrows(WebhookOverlapInvalidError, 'webhook.overlap-invalid');
    });
  });

  describe('DisableWebhook and EnableWebhook', () => {
    it('disables with a reason and enables again', () => {
      given([created]).when({ type: 'DisableWebhook', data: { webhookId: ID, actorId: ADMIN, at: at(5), reason: ' receiver moved ' } }).then([disabled]);
      given([created, disabled]).when({ type: 'EnableWebhook', data: { webhookId: ID, actorId: ADMIN, at: at(6) } }).then([{ type: 'WebhookEnabled', data: { webhookId: ID, actorId: ADMIN, at: at(6) } }]);
    });

    it('changes nothing when already so', () => {
      given([created, disabled]).when({ type: 'DisableWebhook', data: { webhookId: ID, actorId: ADMIN, at: at(7), reason: 'again' } }).thenNothingHappens();
      given([created]).when({ type: 'EnableWebhook', data: { webhookId: ID, actorId: ADMIN, at: at(6) } }).thenNothingHappens();
    });

    it('refuses a blank reason and unknown subscriptions', () => {
      given([created]).when({ type: 'DisableWebhook', data: { webhookId: ID, actorId: ADMIN, at: at(5), reason: ' ' } }).thenThrows(WebhookReasonRequiredError, 'webhook.reason-required');
      given([]).when({ type: 'EnableWebhook', data: { webhookId: ID, actorId: ADMIN, at: at(6) } }).thenThrows(WebhookNotFoundError, 'webhook.not-found');
    });
  });
});

describe('webhook matching and signing', () => {
  it('matches exact types, prefix patterns and *, only while enabled', () => {
    const hook = subscription([created]);
    expect([matches(hook, 'mandate.proposed'), matches(hook, 'mandate.ended'), matches(hook, 'case.offered'), matches(hook, 'mandates.x')]).toEqual([true, true, false, false]);
    expect(matches(subscription([created, disabled]), 'mandate.proposed')).toBe(false);
    expect(matches({ ...hook, eventTypes: ['*'] }, 'api.cases')).toBe(true);
  });

  it('signs with both secrets during the overlap of a rotation, then with the new one only', () => {
    const hook = subscription([created, rotated()]);
    expect(signingSecrets(subscription([created]), at(59))).toEqual([OLD]);
    expect(signingSecrets(hook, at(61))).toEqual([NEW, OLD]);
    expect(signingSecrets(hook, at(60 + 24 * 60 - 1))).toEqual([NEW, OLD]);
    expect(signingSecrets(hook, at(60 + 24 * 60))).toEqual([NEW]);
  });

  it('drops secrets whose overlap is over at the next rotation', () => {
    const third = 'whsec_dGhpcmQtc2VjcmV0LXRoaXJkLXNlY3JldC0zMmJ5dGU=';
    const later: WebhookEvent = { type: 'WebhookSecretRotated', data: { webhookId: ID, actorId: ADMIN, at: at(3 * 24 * 60), secret: third, previousValidUntil: at(4 * 24 * 60) } };
    expect(subscription([created, rotated(), later]).secrets.map((s) => s.secret)).toEqual([third, NEW]);
  });

  it('names an attempt by its delivery id (stable across retries) and the attempt time in seconds', () => {
    expect(webhookMessage('d-1', '2026-03-02T08:00:00.500Z')).toEqual({ id: 'd-1', timestamp: 1772438400 });
    expect(webhookMessage('d-1', '2026-03-02T09:00:00.000Z').id).toBe('d-1');
  });
});
