import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStore, ReadOnlyEventStore } from '@leadership/event-store';
import { EventStoreDbEventStore, SqliteEventStore } from '@leadership/event-store-adapters';
import type { EventStoreConfig } from './service-config';

/**
 * The event store a configuration names: EventStoreDB when a connection string is configured,
 * else the embedded SQLite file (its folder created). The one place where an adapter is chosen;
 * services, the audit CLI and the read-model rebuild all open their store through it.
 */
export function openEventStore(config: EventStoreConfig): EventStore {
  if (config.kind === 'eventstoredb') return new EventStoreDbEventStore(config.connectionString);
  if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
  return new SqliteEventStore(config.file);
}

/** The same store opened for reading only (compliance tools beside a running service: no write lock taken). */
export function openReadOnlyEventStore(config: EventStoreConfig): ReadOnlyEventStore {
  if (config.kind === 'eventstoredb') return new EventStoreDbEventStore(config.connectionString);
  return SqliteEventStore.openReadOnly(config.file);
}
