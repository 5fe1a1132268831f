export * from './lib/notification-contract-parts';
export * from './lib/notification-request.schema';
export * from './lib/preferences.schema';
export * from './lib/webhook-subscription.schema';
export * from './lib/notifications-responses.schema';
export * from './lib/delivery-recorded.integration-event';
export * from './lib/notifications-contracts';
export * from './lib/notifications.asyncapi';
