export * from './lib/read-model/notification.read-model';
export * from './lib/messaging/notification.integration-events';
export * from './lib/http/notifications.controller';
export * from './lib/delivery/smtp.mailer';
export * from './lib/delivery/standard-webhook.signer';
