export * from './lib/event-store.port';
export * from './lib/event-store.errors';
export * from './lib/stream-name';
export * from './lib/decider';
export * from './lib/expected-revision';
export * from './lib/sqlite-event-store';
export * from './lib/eventstoredb-event-store';
export * from './lib/command-handler';
