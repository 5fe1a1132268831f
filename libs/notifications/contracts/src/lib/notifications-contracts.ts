import { NotificationChanged } from './notification-changed.integration-event';

/** Every integration event the notifications context publishes (the AsyncAPI document lists these). */
export const notificationsContracts = [NotificationChanged] as const;
