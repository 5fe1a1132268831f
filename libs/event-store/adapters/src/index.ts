export * from './lib/sqlite-event-store';
export * from './lib/eventstoredb-event-store';
