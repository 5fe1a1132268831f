export * from './lib/notification/notification-command.result';
export * from './lib/notification/request-notification/request-notification.handler';
export * from './lib/notification/mark-read/mark-read.handler';
export * from './lib/notification/get-notification/get-notification.query';
