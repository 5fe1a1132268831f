import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import { at, benByMandate, NIGHTS, recipient, ROLE, STOCKHOLM, T0 } from '../../spec/notifications.fixtures';
import { digestWindow } from '../preferences/digest-window';
import { defaultPreferences } from '../preferences/preferences';
import { RecipientAddressInvalidError } from '../recipient/recipient-address';
import { deliveryIdFor, digestIdFor } from '../stream-names';
import { TemplateVariableMissingError } from '../template/render-template';
import type { NotificationCommand, RecipientFacts, RequestNotification } from './notification.commands';
import { notificationDecider } from './notification.decider';
import {
  DeliveryAlreadyDeliveredError,
  DeliveryClosedError,
  DeliveryNotDueError,
  DeliveryNotFoundError,
  DeliveryNotReplayableError,
  InboxItemNotYoursError,
  NotificationAlreadyExistsError,
  NotificationCategoryInvalidError,
  NotificationContentInvalidError,
  NotificationNotFoundError,
  NotificationRecipientsRequiredError,
  RecipientNotAddressedError,
} from './notification.errors';
import type { DeliveryPlan, NotificationEvent } from './notification.events';

const ID = 'n-1';
const SYSTEM = 'system:dispatcher';
const given = DeciderSpecification.for(notificationDecider);

const requestData = (extra: Partial<RequestNotification['data']> = {}): RequestNotification['data'] => ({
  notificationId: ID,
  actorId: 'system:api',
  at: T0,
  source: { type: 'api', id: 'key-1' },
  workflow: 'api',
  eventType: 'api.cases',
  category: 'cases',
  critical: false,
  content: { subject: 'Queue {{queueId}} is full', body: 'Please help with {{queueId}}.' },
  data: { queueId: 'general' },
  to: [ROLE, 'person-dan'],
  defaultChannels: { inApp: true, email: true },
  ...extra,
});

const cmd = {
  request: (extra: Partial<RequestNotification['data']> = {}): NotificationCommand => ({ type: 'RequestNotification', data: requestData(extra) }),
  resolve: (recipients: readonly RecipientFacts[], webhookIds: readonly string[] = [], when = T0): NotificationCommand => ({
    type: 'ResolveRecipients',
    data: { notificationId: ID, actorId: SYSTEM, at: when, recipients, webhookIds },
  }),
  redirect: (deliveryId: string, successors: readonly RecipientFacts[], when = at(30)): NotificationCommand => ({
    type: 'RedirectDelivery',
    data: { notificationId: ID, actorId: SYSTEM, at: when, deliveryId, successors },
  }),
  delivered: (deliveryId: string, when = at(1), digestId: string | null = null): NotificationCommand => ({
    type: 'RecordDeliveryAttempt',
    data: { notificationId: ID, actorId: SYSTEM, at: when, deliveryId, outcome: { kind: 'delivered', responseCode: 250 }, digestId },
  }),
  failed: (deliveryId: string, when = at(1), retryable = true): NotificationCommand => ({
    type: 'RecordDeliveryAttempt',
    data: { notificationId: ID, actorId: SYSTEM, at: when, deliveryId, outcome: { kind: 'failed', retryable, responseCode: 500, error: 'server error' } },
  }),
  replay: (deliveryId: string, when = at(600)): NotificationCommand => ({ type: 'ReplayDelivery', data: { notificationId: ID, actorId: 'person-admin', at: when, deliveryId } }),
  inbox: (type: 'MarkRead' | 'MarkUnread' | 'Archive', deliveryId: string, actorId = 'person-ben'): NotificationCommand => ({ type, data: { notificationId: ID, actorId, at: at(5), deliveryId } }),
};

const requested = (extra: Partial<RequestNotification['data']> = {}): NotificationEvent => ({ type: 'NotificationRequested', data: requestData(extra) });

const BEN_IN_APP = deliveryIdFor(ID, 'person-ben', 'in-app');
const BEN_EMAIL = deliveryIdFor(ID, 'person-ben', 'email');
const HOOK = deliveryIdFor(ID, 'w-1', 'webhook');

const plan = (personId: string, channel: 'in-app' | 'email', extra: Partial<DeliveryPlan> = {}): DeliveryPlan => {
  const viaRole = personId === 'person-ben';
  return {
    deliveryId: deliveryIdFor(ID, personId, channel),
    recipientId: personId,
    channel,
    address: viaRole ? ROLE : personId,
    basis: viaRole ? 'mandate' : 'direct',
    mandateId: viaRole ? 'm-1' : null,
    mandateVersion: viaRole ? 3 : null,
    locale: 'sv-SE',
    timeZone: STOCKHOLM,
    status: channel === 'in-app' ? 'delivered' : 'scheduled',
    notBefore: T0,
    digest: null,
    ...extra,
  };
};

const recipientOf = (r: RecipientFacts) => ({ personId: r.personId, address: r.address, basis: r.basis, mandateId: r.mandateId, mandateVersion: r.mandateVersion });
const resolved = (recipients: readonly RecipientFacts[], deliveries: readonly DeliveryPlan[], unresolved: readonly string[] = []): NotificationEvent => ({
  type: 'RecipientsResolved',
  data: { notificationId: ID, actorId: SYSTEM, at: T0, recipients: recipients.map(recipientOf), unresolved, deliveries },
});
const BOTH_RESOLVED = resolved([benByMandate(), recipient('person-dan')], [plan('person-ben', 'in-app'), plan('person-ben', 'email'), plan('person-dan', 'in-app'), plan('person-dan', 'email')]);
const attempt = (type: 'DeliverySucceeded' | 'DeliveryAttemptFailed' | 'DeliveryDeadLettered', deliveryId: string, n: number, when: string, extra: Record<string, unknown> = {}): NotificationEvent =>
  ({ type, data: { notificationId: ID, actorId: SYSTEM, at: when, deliveryId, attempt: n, responseCode: type === 'DeliverySucceeded' ? 250 : 500, ...extra } }) as NotificationEvent;

describe('notification decider', () => {
  describe('RequestNotification', () => {
    it('requests a notification with canonical, de-duplicated addresses', () => {
      given([]).when(cmd.request({ to: [` ${ROLE}`, 'person-dan', 'person-dan'] })).then([requested()]);
    });

    it('changes nothing for a redelivered trigger (another arrival time, the same content)', () => {
      given([requested()]).when(cmd.request({ at: at(5), actorId: 'system:consumer' })).thenNothingHappens();
    });

    it('refuses the id for other content', () => {
      given([requested()]).when(cmd.request({ critical: true })).thenThrows(NotificationAlreadyExistsError, 'notification.already-exists');
    });

    it('refuses bad addresses, categories, content and missing variables', () => {
      given([]).when(cmd.request({ to: ['role:case-distribution'] })).thenThrows(RecipientAddressInvalidError, 'recipient.address-invalid');
      given([]).when(cmd.request({ to: [] })).thenThrows(NotificationRecipientsRequiredError, 'notification.recipients-required');
      given([]).when(cmd.request({ to: Array.from({ length: 51 }, (_, i) => `p-${i}`) })).thenThrows(NotificationRecipientsRequiredError, 'notification.recipients-required');
      given([]).when(cmd.request({ category: 'Cases!' })).thenThrows(NotificationCategoryInvalidError, 'notification.category-invalid');
      given([]).when(cmd.request({ content: { template: 'no.such' } })).thenThrows(NotificationContentInvalidError, 'notification.content-invalid');
      given([]).when(cmd.request({ content: { subject: ' ', body: 'x' } })).thenThrows(NotificationContentInvalidError, 'notification.content-invalid');
      given([]).when(cmd.request({ data: {} })).thenThrows(TemplateVariableMissingError, 'template.variable-missing', (e) => e.variables.includes('queueId'));
      given([])
        .when(cmd.request({ content: { template: 'mandate.proposed' }, data: { mandateId: 'm-1' } }))
        .thenThrows(TemplateVariableMissingError, 'template.variable-missing', (e) => expect(e.variables).toEqual(['taskType', 'from', 'until']));
    });

    it('accepts a template when the data has every stored variable (names and appUrl come at render time)', () => {
      const data = { mandateId: 'm-1', taskType: 'case-distribution', from: T0, until: at(60 * 24 * 90) };
      given([]).when(cmd.request({ content: { template: 'mandate.proposed' }, data })).then([requested({ content: { template: 'mandate.proposed' }, data })]);
    });
  });

  describe('ResolveRecipients', () => {
    it('plans one delivery per recipient and channel, in-app at once, e-mail now outside quiet hours, with why', () => {
      given([requested()]).when(cmd.resolve([benByMandate(), recipient('person-dan')])).then([BOTH_RESOLVED]);
    });

    it('holds e-mail for quiet hours and digests, never the inbox item; records roles that resolved to nobody', () => {
      const late = at(14 * 60); // 23:00 in Stockholm
      const sleeper = recipient('person-dan', { preferences: NIGHTS });
      given([requested()])
        .when(cmd.resolve([sleeper], [], late))
        .then([
          {
            type: 'RecipientsResolved',
            data: {
              notificationId: ID,
              actorId: SYSTEM,
              at: late,
              recipients: [recipientOf(sleeper)],
              unresolved: [ROLE],
              deliveries: [plan('person-dan', 'in-app', { notBefore: late }), plan('person-dan', 'email', { notBefore: '2026-03-03T06:00:00.000Z' })],
            },
          },
        ]);
      const digesting = recipient('person-dan', { preferences: { ...defaultPreferences(STOCKHOLM), digest: { cases: 'hourly' } } });
      const window = digestWindow('hourly', STOCKHOLM, T0);
      const digest = { ...window, digestId: digestIdFor('person-dan', 'cases', window.key) };
      given([requested()])
        .when(cmd.resolve([digesting]))
        .then([resolved([digesting], [plan('person-dan', 'in-app'), plan('person-dan', 'email', { status: 'digest', notBefore: window.closesAt, digest })], [ROLE])]);
    });

    it('never puts a calendar invitation into a digest (the digest has no place for its text/calendar part)', () => {
      const digesting = recipient('person-dan', { preferences: { ...defaultPreferences(STOCKHOLM), digest: { cases: 'hourly' } } });
      given([requested({ calendar: 'REQUEST' })])
        .when(cmd.resolve([digesting]))
        .then([resolved([digesting], [plan('person-dan', 'in-app'), plan('person-dan', 'email')], [ROLE])]);
    });

    it('sends a critical notification on switched-off channels, at night, without a digest', () => {
      const late = at(14 * 60);
      const reluctant = recipient('person-dan', { preferences: { ...NIGHTS, channels: { cases: { inApp: false, email: false } }, digest: { cases: 'daily' } } });
      const produced = notificationDecider.decide(cmd.resolve([reluctant], [], late), fold(notificationDecider, [requested({ critical: true })]));
      expect(produced).toMatchObject([{ data: { deliveries: [{ channel: 'in-app', status: 'delivered' }, { channel: 'email', status: 'scheduled', notBefore: late, digest: null }] } }]);
    });

    it('respects channels switched off for a normal one, and plans webhooks for matching subscriptions', () => {
      const quiet = recipient('person-dan', { preferences: { ...defaultPreferences(STOCKHOLM), channels: { cases: { inApp: true, email: false } } } });
      const produced = notificationDecider.decide(cmd.resolve([quiet], ['w-1', 'w-1']), fold(notificationDecider, [requested()]));
      expect(produced).toMatchObject([
        { data: { deliveries: [{ channel: 'in-app' }, { deliveryId: HOOK, channel: 'webhook', recipientId: 'w-1', basis: 'subscription', address: 'webhook:w-1', status: 'scheduled' }] } },
      ]);
    });

    it('changes nothing when repeated: one delivery per (notification, recipient, channel)', () => {
      given([requested(), BOTH_RESOLVED]).when(cmd.resolve([benByMandate(), recipient('person-dan'), recipient('person-eve')])).thenNothingHappens();
    });

    it('plans a person reached by two addresses once', () => {
      const produced = notificationDecider.decide(cmd.resolve([benByMandate(), recipient('person-ben')]), fold(notificationDecider, [requested({ to: [ROLE, 'person-ben'] })]));
      expect(produced).toMatchObject([{ data: { deliveries: [{ deliveryId: BEN_IN_APP, basis: 'mandate' }, { deliveryId: BEN_EMAIL, basis: 'mandate' }] } }]);
    });

    it('refuses unknown notifications and recipients the notification is not addressed to', () => {
      given([]).when(cmd.resolve([recipient('person-dan')])).thenThrows(NotificationNotFoundError, 'notification.not-found');
      given([requested()]).when(cmd.resolve([recipient('person-eve')])).thenThrows(RecipientNotAddressedError, 'notification.recipient-not-addressed');
    });
  });

  describe('RedirectDelivery', () => {
    const cleo = recipient('person-cleo', { address: ROLE, basis: 'deputy', mandateId: 'm-1', mandateVersion: 4, locale: 'en-GB', preferences: NIGHTS });

    it('withdraws a pending delivery and plans the successor on their channels and send window', () => {
      given([requested(), BOTH_RESOLVED])
        .when(cmd.redirect(BEN_EMAIL, [cleo]))
        .then([
          {
            type: 'DeliveryRedirected',
            data: {
              notificationId: ID,
              actorId: SYSTEM,
              at: at(30),
              deliveryId: BEN_EMAIL,
              reason: 'no-longer-addressed',
              successors: [recipientOf(cleo)],
              deliveries: [
                { ...plan('person-cleo', 'in-app', { address: ROLE, basis: 'deputy', mandateId: 'm-1', mandateVersion: 4, locale: 'en-GB', notBefore: at(30) }) },
                { ...plan('person-cleo', 'email', { address: ROLE, basis: 'deputy', mandateId: 'm-1', mandateVersion: 4, locale: 'en-GB', notBefore: at(30) }) },
              ],
            },
          },
        ]);
    });

    it('changes nothing for a withdrawn delivery, and plans nothing twice', () => {
      const redirected = notificationDecider.decide(cmd.redirect(BEN_EMAIL, [cleo]), fold(notificationDecider, [requested(), BOTH_RESOLVED]));
      given([requested(), BOTH_RESOLVED, ...redirected]).when(cmd.redirect(BEN_EMAIL, [cleo])).thenNothingHappens();
      const state = fold(notificationDecider, [requested(), BOTH_RESOLVED, ...redirected]);
      expect(state.status !== 'none' && state.deliveries.map((d) => [d.recipientId, d.channel, d.status])).toEqual([
        ['person-ben', 'in-app', 'delivered'],
        ['person-ben', 'email', 'withdrawn'],
        ['person-dan', 'in-app', 'delivered'],
        ['person-dan', 'email', 'scheduled'],
        ['person-cleo', 'in-app', 'delivered'],
        ['person-cleo', 'email', 'scheduled'],
      ]);
    });

    it('plans nothing for a successor who has the notification already', () => {
      const cleoDirect = recipient('person-cleo');
      const both = resolved([benByMandate(), cleoDirect], [plan('person-ben', 'in-app'), plan('person-ben', 'email'), plan('person-cleo', 'in-app'), plan('person-cleo', 'email')]);
      const produced = notificationDecider.decide(cmd.redirect(BEN_EMAIL, [cleo]), fold(notificationDecider, [requested({ to: [ROLE, 'person-cleo'] }), both]));
      expect(produced).toMatchObject([{ type: 'DeliveryRedirected', data: { deliveryId: BEN_EMAIL, deliveries: [] } }]);
    });

    it('refuses delivered deliveries, unknown ones, and successors of another address', () => {
      given([requested(), BOTH_RESOLVED]).when(cmd.redirect(BEN_IN_APP, [cleo])).thenThrows(DeliveryClosedError, 'notification.delivery-closed');
      given([requested(), BOTH_RESOLVED]).when(cmd.redirect('nope', [cleo])).thenThrows(DeliveryNotFoundError, 'notification.delivery-not-found');
      given([requested(), BOTH_RESOLVED]).when(cmd.redirect(BEN_EMAIL, [recipient('person-eve')])).thenThrows(RecipientNotAddressedError, 'notification.recipient-not-addressed');
    });
  });

  describe('RecordDeliveryAttempt', () => {
    it('records a delivery', () => {
      given([requested(), BOTH_RESOLVED]).when(cmd.delivered(BEN_EMAIL)).then([attempt('DeliverySucceeded', BEN_EMAIL, 1, at(1), { digestId: null })]);
    });

    it('schedules a retry with back-off after a retryable failure, and dead-letters after the last', () => {
      const produced = notificationDecider.decide(cmd.failed(BEN_EMAIL), fold(notificationDecider, [requested(), BOTH_RESOLVED]));
      expect(produced).toMatchObject([{ type: 'DeliveryAttemptFailed', data: { attempt: 1, error: 'server error', nextAttemptAt: expect.any(String) } }]);
      const failures = Array.from({ length: 9 }, (_, i) => attempt('DeliveryAttemptFailed', BEN_EMAIL, i + 1, at(i * 200 + 1), { error: 'x', nextAttemptAt: at(i * 200 + 100) }));
      given([requested(), BOTH_RESOLVED, ...failures]).when(cmd.failed(BEN_EMAIL, at(2000))).then([attempt('DeliveryDeadLettered', BEN_EMAIL, 10, at(2000), { error: 'server error' })]);
    });

    it('dead-letters a permanent failure at once', () => {
      given([requested(), BOTH_RESOLVED]).when(cmd.failed(BEN_EMAIL, at(1), false)).then([attempt('DeliveryDeadLettered', BEN_EMAIL, 1, at(1), { error: 'server error' })]);
    });

    it('changes nothing for the same attempt reported twice, or a success reported again', () => {
      const done = attempt('DeliverySucceeded', BEN_EMAIL, 1, at(1), { digestId: null });
      given([requested(), BOTH_RESOLVED, done]).when(cmd.failed(BEN_EMAIL, at(1))).thenNothingHappens();
      given([requested(), BOTH_RESOLVED, done]).when(cmd.delivered(BEN_EMAIL, at(9))).thenNothingHappens();
    });

    it('never attempts a delivered delivery again, nor one before it is due, nor inbox items or dead letters', () => {
      const done = attempt('DeliverySucceeded', BEN_EMAIL, 1, at(1), { digestId: null });
      given([requested(), BOTH_RESOLVED, done]).when(cmd.failed(BEN_EMAIL, at(9))).thenThrows(DeliveryAlreadyDeliveredError, 'notification.delivery-already-delivered');
      const retrying = attempt('DeliveryAttemptFailed', BEN_EMAIL, 1, at(1), { error: 'x', nextAttemptAt: at(10) });
      given([requested(), BOTH_RESOLVED, retrying]).when(cmd.delivered(BEN_EMAIL, at(5))).thenThrows(DeliveryNotDueError, 'notification.delivery-not-due');
      given([requested(), BOTH_RESOLVED]).when(cmd.delivered(BEN_IN_APP)).thenThrows(DeliveryClosedError, 'notification.delivery-closed');
      const dead = attempt('DeliveryDeadLettered', BEN_EMAIL, 1, at(1), { error: 'x' });
      given([requested(), BOTH_RESOLVED, dead]).when(cmd.delivered(BEN_EMAIL, at(9))).thenThrows(DeliveryClosedError, 'notification.delivery-closed');
    });
  });

  describe('RecordDeliveryAttempts', () => {
    const DAN_EMAIL = deliveryIdFor(ID, 'person-dan', 'email');
    const both = (when = at(1)): NotificationCommand => ({
      type: 'RecordDeliveryAttempts',
      data: {
        notificationId: ID,
        actorId: SYSTEM,
        at: when,
        attempts: [
          { deliveryId: BEN_EMAIL, outcome: { kind: 'delivered', responseCode: 250 } },
          { deliveryId: DAN_EMAIL, outcome: { kind: 'failed', retryable: false, responseCode: 550, error: 'no such mailbox' } },
        ],
      },
    });

    it('records the attempts of one dispatch in one decision, each as RecordDeliveryAttempt would', () => {
      given([requested(), BOTH_RESOLVED])
        .when(both())
        .then([attempt('DeliverySucceeded', BEN_EMAIL, 1, at(1), { digestId: null }), attempt('DeliveryDeadLettered', DAN_EMAIL, 1, at(1), { error: 'no such mailbox', responseCode: 550 })]);
    });

    it('changes nothing when the same dispatch is reported again', () => {
      const recorded = notificationDecider.decide(both(), fold(notificationDecider, [requested(), BOTH_RESOLVED]));
      given([requested(), BOTH_RESOLVED, ...recorded]).when(both()).thenNothingHappens();
    });

    it('refuses the whole dispatch when one attempt is refused, and unknown notifications', () => {
      const withInbox: NotificationCommand = { type: 'RecordDeliveryAttempts', data: { notificationId: ID, actorId: SYSTEM, at: at(1), attempts: [{ deliveryId: BEN_EMAIL, outcome: { kind: 'delivered', responseCode: 250 } }, { deliveryId: BEN_IN_APP, outcome: { kind: 'delivered', responseCode: 250 } }] } };
      given([requested(), BOTH_RESOLVED]).when(withInbox).thenThrows(DeliveryClosedError, 'notification.delivery-closed');
      given([]).when(both()).thenThrows(NotificationNotFoundError, 'notification.not-found');
    });
  });

  describe('ReplayDelivery', () => {
    const hooked = resolved([], [{ ...plan('person-dan', 'email'), deliveryId: HOOK, recipientId: 'w-1', channel: 'webhook', address: 'webhook:w-1', basis: 'subscription', locale: 'en-GB', timeZone: 'UTC' }], [ROLE, 'person-dan']);

    it('replays a dead letter and a delivered webhook, with a fresh retry budget', () => {
      const dead = attempt('DeliveryDeadLettered', BEN_EMAIL, 1, at(1), { error: 'x' });
      given([requested(), BOTH_RESOLVED, dead]).when(cmd.replay(BEN_EMAIL)).then([{ type: 'DeliveryReplayed', data: { notificationId: ID, actorId: 'person-admin', at: at(600), deliveryId: BEN_EMAIL, previousStatus: 'dead-lettered' } }]);
      const sent = attempt('DeliverySucceeded', HOOK, 1, at(1), { digestId: null });
      given([requested(), hooked, sent]).when(cmd.replay(HOOK)).then([{ type: 'DeliveryReplayed', data: { notificationId: ID, actorId: 'person-admin', at: at(600), deliveryId: HOOK, previousStatus: 'delivered' } }]);
      const state = fold(notificationDecider, [requested(), hooked, sent, ...notificationDecider.decide(cmd.replay(HOOK), fold(notificationDecider, [requested(), hooked, sent]))]);
      expect(state.status !== 'none' && state.deliveries[0]).toMatchObject({ status: 'scheduled', attempts: 0, totalAttempts: 1, notBefore: at(600) });
    });

    it('changes nothing for a delivery on its way', () => {
      given([requested(), BOTH_RESOLVED]).when(cmd.replay(BEN_EMAIL)).thenNothingHappens();
    });

    it('refuses delivered e-mails and inbox items', () => {
      given([requested(), BOTH_RESOLVED, attempt('DeliverySucceeded', BEN_EMAIL, 1, at(1), { digestId: null })]).when(cmd.replay(BEN_EMAIL)).thenThrows(DeliveryNotReplayableError, 'notification.delivery-not-replayable');
      given([requested(), BOTH_RESOLVED]).when(cmd.replay(BEN_IN_APP)).thenThrows(DeliveryNotReplayableError, 'notification.delivery-not-replayable');
    });
  });

  describe('MarkRead, MarkUnread, Archive', () => {
    const item = { notificationId: ID, actorId: 'person-ben', at: at(5), deliveryId: BEN_IN_APP };

    it('changes the recipient\'s inbox item', () => {
      given([requested(), BOTH_RESOLVED]).when(cmd.inbox('MarkRead', BEN_IN_APP)).then([{ type: 'InboxItemRead', data: item }]);
      given([requested(), BOTH_RESOLVED, { type: 'InboxItemRead', data: item }]).when(cmd.inbox('MarkUnread', BEN_IN_APP)).then([{ type: 'InboxItemMarkedUnread', data: item }]);
      given([requested(), BOTH_RESOLVED]).when(cmd.inbox('Archive', BEN_IN_APP)).then([{ type: 'InboxItemArchived', data: item }]);
    });

    it('changes nothing when the item is so already', () => {
      given([requested(), BOTH_RESOLVED, { type: 'InboxItemRead', data: item }]).when(cmd.inbox('MarkRead', BEN_IN_APP)).thenNothingHappens();
      given([requested(), BOTH_RESOLVED]).when(cmd.inbox('MarkUnread', BEN_IN_APP)).thenNothingHappens();
      given([requested(), BOTH_RESOLVED, { type: 'InboxItemArchived', data: item }]).when(cmd.inbox('Archive', BEN_IN_APP)).thenNothingHappens();
    });

    it('refuses someone else\'s item and e-mails alike', () => {
      given([requested(), BOTH_RESOLVED]).when(cmd.inbox('MarkRead', BEN_IN_APP, 'person-dan')).thenThrows(InboxItemNotYoursError, 'notification.inbox-item-not-yours');
      given([requested(), BOTH_RESOLVED]).when(cmd.inbox('MarkRead', BEN_EMAIL)).thenThrows(InboxItemNotYoursError, 'notification.inbox-item-not-yours');
    });
  });
});
