import { Inject } from '@nestjs/common';
import type { NotificationDispatcher } from '@leadership/notifications-application';

/** What `POST /notifications` needs of the dispatcher: resolve one notification now. */
export type NotificationResolver = Pick<NotificationDispatcher, 'resolveNow'>;
export const NOTIFICATION_RESOLVER = Symbol('NotificationResolver');
export const InjectNotificationResolver = () => Inject(NOTIFICATION_RESOLVER);

/** Roles that may send notifications through the REST trigger: other services and departments' systems. */
export const SENDER_ROLES = ['system', 'notifier'] as const;
