import { SqliteEventStore } from '@leadership/event-store-adapters';
import type { EventStore } from '@leadership/event-store';

/**
 * A real event store for tests of application code, which may program only against the port:
 * SQLite on `file` (several stores on one file race like separate processes), or in memory.
 */
export function openTestEventStore(file = ':memory:'): EventStore {
  return new SqliteEventStore(file);
}
