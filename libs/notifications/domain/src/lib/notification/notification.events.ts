import type { DigestWindow } from '../preferences/digest-window';
import type { ResolvedRecipient } from '../recipient/resolve-role-address';
import type { Channel, RecipientBasis } from '../shared/notification-vocabulary';
import type { RequestNotification } from './notification.commands';

/*
 * Events of the notification stream (`notification-<id>`): every notification and every delivery
 * attempt is an event, so who was told what, when, on which channel and on whose authority can be
 * replayed. Each carries the notification id, who caused it and when; the version is the revision.
 */

interface NotificationEventData {
  readonly notificationId: string;
  readonly actorId: string;
  readonly at: string;
}

export interface NotificationRequested {
  readonly type: 'NotificationRequested';
  readonly data: RequestNotification['data'];
}

/** The digest an e-mail waits for. */
export interface DigestReference extends DigestWindow {
  readonly digestId: string;
}

/** One planned delivery: a recipient on a channel, why they get it, and when it may go out. */
export interface DeliveryPlan {
  readonly deliveryId: string;
  /** Person id, or the webhook subscription id for channel `webhook`. */
  readonly recipientId: string;
  readonly channel: Channel;
  readonly address: string;
  readonly basis: RecipientBasis;
  readonly mandateId: string | null;
  readonly mandateVersion: number | null;
  /** Texts are rendered in this locale and zone (webhooks: en-GB, UTC). */
  readonly locale: string;
  readonly timeZone: string;
  /**
   * In-app items are in the inbox as soon as they are planned (`delivered`); e-mails and webhooks
   * wait for `notBefore` (`scheduled`), or for their digest (`digest`).
   */
  readonly status: 'delivered' | 'scheduled' | 'digest';
  readonly notBefore: string;
  readonly digest: DigestReference | null;
}

export interface RecipientsResolved {
  readonly type: 'RecipientsResolved';
  readonly data: NotificationEventData & {
    readonly recipients: readonly ResolvedRecipient[];
    /** Addresses that resolved to nobody (a role without holder, deputy or formal manager). */
    readonly unresolved: readonly string[];
    readonly deliveries: readonly DeliveryPlan[];
  };
}

export interface DeliveryRedirected {
  readonly type: 'DeliveryRedirected';
  readonly data: NotificationEventData & {
    readonly deliveryId: string;
    readonly reason: 'no-longer-addressed';
    readonly successors: readonly ResolvedRecipient[];
    /** Deliveries planned for the successors (none for a successor who has one on that channel already). */
    readonly deliveries: readonly DeliveryPlan[];
  };
}

interface AttemptData extends NotificationEventData {
  readonly deliveryId: string;
  /** Attempt number since the delivery was planned or last replayed, 1-based. */
  readonly attempt: number;
  readonly responseCode: number | null;
}

export interface DeliverySucceeded {
  readonly type: 'DeliverySucceeded';
  readonly data: AttemptData & { readonly digestId: string | null };
}

export interface DeliveryAttemptFailed {
  readonly type: 'DeliveryAttemptFailed';
  readonly data: AttemptData & { readonly error: string; readonly nextAttemptAt: string };
}

export interface DeliveryDeadLettered {
  readonly type: 'DeliveryDeadLettered';
  readonly data: AttemptData & { readonly error: string };
}

export interface DeliveryReplayed {
  readonly type: 'DeliveryReplayed';
  readonly data: NotificationEventData & { readonly deliveryId: string; readonly previousStatus: 'delivered' | 'dead-lettered' };
}

interface InboxData extends NotificationEventData {
  readonly deliveryId: string;
}

export interface InboxItemRead {
  readonly type: 'InboxItemRead';
  readonly data: InboxData;
}

export interface InboxItemMarkedUnread {
  readonly type: 'InboxItemMarkedUnread';
  readonly data: InboxData;
}

export interface InboxItemArchived {
  readonly type: 'InboxItemArchived';
  readonly data: InboxData;
}

/** The one event union of the notification aggregate. */
export type NotificationEvent =
  | NotificationRequested
  | RecipientsResolved
  | DeliveryRedirected
  | DeliverySucceeded
  | DeliveryAttemptFailed
  | DeliveryDeadLettered
  | DeliveryReplayed
  | InboxItemRead
  | InboxItemMarkedUnread
  | InboxItemArchived;
