export * from './lib/event-store.port';
export * from './lib/event-store.errors';
export * from './lib/stream-name';
export * from './lib/decider';
