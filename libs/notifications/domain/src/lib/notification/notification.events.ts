/*
 * Events of the notification stream (`notification-<id>`). Each carries the notification id, who caused it
 * (`actorId`) and when (`at`), plus everything needed to rebuild state without another source.
 * The notification version is the stream revision, not a field.
 */

interface NotificationEventData {
  readonly notificationId: string;
  readonly actorId: string;
  readonly at: string;
}

export interface NotificationRegistered {
  readonly type: 'NotificationRegistered';
  readonly data: NotificationEventData & { readonly title: string };
}

export interface NotificationClosed {
  readonly type: 'NotificationClosed';
  readonly data: NotificationEventData & { readonly reason: string };
}

/** The one event union of the notification aggregate. */
export type NotificationEvent = NotificationRegistered | NotificationClosed;
