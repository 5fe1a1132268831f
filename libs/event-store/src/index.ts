export * from './lib/event-store.port';
export * from './lib/event-store.errors';
export * from './lib/expected-revision';
export * from './lib/command-handler';
export * from './lib/aggregate-reader';
export * from './lib/store-follower';
// Building blocks of the adapters (libs/event-store/adapters), shared so both validate alike.
export * from './lib/event-validation';
export * from './lib/polling-subscription';
