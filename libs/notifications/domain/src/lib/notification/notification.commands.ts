/*
 * Commands of the notification decider. Every command names the notification, the acting person (or
 * system component) and the instant it happens: the domain never reads a clock.
 */

interface NotificationCommandData {
  readonly notificationId: string;
  readonly actorId: string;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

/** Registers a new notification under a title. */
export interface RegisterNotification {
  readonly type: 'RegisterNotification';
  readonly data: NotificationCommandData & { readonly title: string };
}

/** Closes an open notification, with the reason. */
export interface CloseNotification {
  readonly type: 'CloseNotification';
  readonly data: NotificationCommandData & { readonly reason: string };
}

export type NotificationCommand = RegisterNotification | CloseNotification;
