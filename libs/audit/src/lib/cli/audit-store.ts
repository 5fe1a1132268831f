import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { type ReadOnlyEventStore } from '@leadership/event-store';
import { EventStoreDbEventStore, SqliteEventStore } from '@leadership/event-store-adapters';

/**
 * Where the delegation service keeps its embedded store, relative to the workspace root. The
 * service and the compliance CLI read the same constant so that "no flags" means "the store the
 * service uses".
 */
export const DEFAULT_DELEGATION_EVENT_STORE = '.local/data/delegation/events.sqlite';

/** Which store the CLI reads, as decided from flags and environment. */
export type AuditStoreLocation =
  | { readonly kind: 'sqlite'; readonly file: string; readonly source: '--store' | 'DELEGATION_EVENT_STORE' | 'default' }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string };

/**
 * Precedence: `--store` (a SQLite file), then `EVENTSTORE_CONNECTION_STRING` (the service uses
 * EventStoreDB whenever one is configured), then `DELEGATION_EVENT_STORE`, then the default file.
 * `--store` is resolved against the directory the user ran the command in; the variable and the
 * default against the workspace root, like the service does.
 */
export function locateAuditStore(
  storeFlag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  paths: { readonly cwd: string; readonly workspaceRoot: string },
): AuditStoreLocation {
  if (storeFlag !== undefined) return { kind: 'sqlite', file: resolve(paths.cwd, storeFlag), source: '--store' };
  const connectionString = env['EVENTSTORE_CONNECTION_STRING'];
  if (connectionString) return { kind: 'eventstoredb', connectionString };
  const configured = env['DELEGATION_EVENT_STORE'];
  if (configured) {
    return { kind: 'sqlite', file: isAbsolute(configured) ? configured : resolve(paths.workspaceRoot, configured), source: 'DELEGATION_EVENT_STORE' };
  }
  return { kind: 'sqlite', file: resolve(paths.workspaceRoot, DEFAULT_DELEGATION_EVENT_STORE), source: 'default' };
}

/** Describes the store without secrets: a connection string may carry credentials. */
export function describeAuditStore(location: AuditStoreLocation): string {
  return location.kind === 'sqlite' ? `${location.file} (SQLite, from ${location.source})` : 'EventStoreDB (EVENTSTORE_CONNECTION_STRING)';
}

/** The store is not where the flags say; the message says what to do. */
export class AuditStoreNotFoundError extends Error {
  override readonly name = 'AuditStoreNotFoundError';
  constructor(readonly file: string) {
    super(`no event store at ${file}: pass --store <file>, set DELEGATION_EVENT_STORE, or start the delegation service once to create it`);
  }
}

/**
 * Opens the store for reading only. A SQLite file is opened read-only at the connection level,
 * so an audit can never write, even by mistake, while the service keeps writing (WAL lets both
 * run). EventStoreDB has no read-only connection; the CLI simply never appends.
 */
export function openAuditStore(location: AuditStoreLocation): ReadOnlyEventStore {
  if (location.kind === 'eventstoredb') return new EventStoreDbEventStore(location.connectionString);
  if (!existsSync(location.file)) throw new AuditStoreNotFoundError(location.file);
  return SqliteEventStore.openReadOnly(location.file);
}
