export * from './lib/notification/notification-command.result';
export * from './lib/notification/register-notification/register-notification.handler';
export * from './lib/notification/close-notification/close-notification.handler';
export * from './lib/notification/get-notification/get-notification.query';
