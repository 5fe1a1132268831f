import { digestCadenceFor, channelsFor } from '../preferences/preferences';
import { digestWindow } from '../preferences/digest-window';
import { nextSendWindow } from '../preferences/send-window';
import { deliveryIdFor, digestIdFor } from '../stream-names';
import type { RecipientFacts } from './notification.commands';
import type { DeliveryPlan } from './notification.events';
import type { ExistingNotification } from './notification.state';

/*
 * Planning happens in the decider, from the preferences the command carries, and the outcome is
 * stored in the event: channel, send time and digest window are facts of the delivery from then
 * on (a later change of the rules or the preferences does not rewrite history), and there is no
 * moment where a delivery exists without its schedule.
 *
 * Quiet hours and digests hold back e-mail only: an inbox item disturbs nobody and is what the
 * e-mail points to. A critical notification bypasses both, as it bypasses channels switched off:
 * "critical" means that waiting costs something (an SLA about to break, a mandate ending), and an
 * e-mail at 23:00 waits in the mailbox anyway; the mail client decides whether to ring. Calendar
 * invitations are not digested either (the digest has no place for their `text/calendar` part).
 */

/** Webhook payloads are rendered in one fixed form for machines. */
const WEBHOOK_LOCALE = 'en-GB';
const WEBHOOK_TIME_ZONE = 'UTC';

function personPlans(notification: ExistingNotification, recipient: RecipientFacts, at: string): DeliveryPlan[] {
  const { preferences } = recipient;
  const { notificationId, category, critical } = notification;
  return channelsFor(preferences, notification.defaultChannels, category, critical).map((channel): DeliveryPlan => {
    const base = {
      deliveryId: deliveryIdFor(notificationId, recipient.personId, channel),
      recipientId: recipient.personId,
      channel,
      address: recipient.address,
      basis: recipient.basis,
      mandateId: recipient.mandateId,
      mandateVersion: recipient.mandateVersion,
      locale: recipient.locale,
      timeZone: preferences.timeZone,
    };
    if (channel === 'in-app') return { ...base, status: 'delivered', notBefore: at, digest: null };
    // A calendar message in a digest would lose its invitation part: it waits for quiet hours only.
    const cadence = critical || notification.calendar ? 'off' : digestCadenceFor(preferences, category);
    if (cadence !== 'off') {
      const window = digestWindow(cadence, preferences.timeZone, at);
      return { ...base, status: 'digest', notBefore: window.closesAt, digest: { ...window, digestId: digestIdFor(recipient.personId, category, window.key) } };
    }
    return { ...base, status: 'scheduled', notBefore: critical ? at : nextSendWindow(preferences, at), digest: null };
  });
}

function webhookPlan(notification: ExistingNotification, webhookId: string, at: string): DeliveryPlan {
  return {
    deliveryId: deliveryIdFor(notification.notificationId, webhookId, 'webhook'),
    recipientId: webhookId,
    channel: 'webhook',
    address: `webhook:${webhookId}`,
    basis: 'subscription',
    mandateId: null,
    mandateVersion: null,
    locale: WEBHOOK_LOCALE,
    timeZone: WEBHOOK_TIME_ZONE,
    status: 'scheduled',
    notBefore: at,
    digest: null,
  };
}

/**
 * The deliveries for `recipients` and `webhookIds`, one per (recipient, channel): a person reached
 * through two addresses is planned once (the first address wins), and nothing is planned that the
 * notification has already (a successor who had the notification anyway).
 */
export function planDeliveries(notification: ExistingNotification, recipients: readonly RecipientFacts[], webhookIds: readonly string[], at: string): readonly DeliveryPlan[] {
  const plans = [...recipients.flatMap((r) => personPlans(notification, r, at)), ...webhookIds.map((id) => webhookPlan(notification, id, at))];
  const seen = new Set(notification.deliveries.map((d) => d.deliveryId));
  return plans.filter((plan) => !seen.has(plan.deliveryId) && seen.add(plan.deliveryId));
}
