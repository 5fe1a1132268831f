export * from './lib/stream-names';
export * from './lib/notification/notification.commands';
export * from './lib/notification/notification.events';
export * from './lib/notification/notification.errors';
export * from './lib/notification/notification.decider';
