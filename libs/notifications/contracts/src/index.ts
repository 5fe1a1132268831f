export * from './lib/notification-changed.integration-event';
export * from './lib/notifications-contracts';
export * from './lib/notifications.asyncapi';
