export * from './lib/mandate-changed.integration-event';
export * from './lib/directory.integration-events';
export * from './lib/mandate-reminder-due.integration-event';
export * from './lib/delegation-relay-progress.integration-event';
export * from './lib/authority-evaluation';
export * from './lib/delegation-contracts';
export * from './lib/framework-check.catalogue';
