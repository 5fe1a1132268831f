import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { type ReadOnlyEventStore } from '@leadership/event-store';
import { envPrefix, openReadOnlyEventStore } from '@leadership/platform-runtime';

/**
 * Where a service keeps its embedded store, relative to the workspace root: every service of the
 * platform has its own SQLite file under `.local/data/<context>/`, so "no flags but --context"
 * means "the store that service uses".
 */
export function defaultEventStoreFile(context: string): string {
  return `.local/data/${context}/events.sqlite`;
}

/** Context names are the service folder names: lower-case kebab-case. */
const CONTEXT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function isContextName(value: string): boolean {
  return CONTEXT_NAME.test(value);
}

/** Which store the CLI reads, as decided from flags and environment. */
export type AuditStoreLocation =
  | { readonly kind: 'sqlite'; readonly file: string; readonly source: string }
  | {
      readonly kind: 'eventstoredb';
      readonly connectionString: string;
      readonly source: string;
    };

/** What the user asked for on the command line. */
export interface AuditStoreFlags {
  /** `--context <name>`: the service whose store to read. */
  readonly context?: string;
  /** `--store <file>`: a SQLite file, e.g. a copy taken elsewhere; wins over everything. */
  readonly store?: string;
}

/** Neither --context nor --store, or a malformed context name: the message says what to pass. */
export class AuditStoreUsageError extends Error {
  override readonly name = 'AuditStoreUsageError';
}

/**
 * Precedence: `--store` (a SQLite file); then, for `--context <name>`, what that service itself
 * reads (`serviceConfigFromEnv` of @leadership/platform-runtime): `EVENTSTORE_CONNECTION_STRING`
 * (EventStoreDB, whenever one is configured), then `<NAME>_EVENT_STORE` (a SQLite file), then the
 * service's default file {@link defaultEventStoreFile}. `--store` is resolved against the
 * directory the user ran the command in; the variable and the default against the workspace
 * root, like the services do. A connection string is taken from the environment only, never
 * from a flag: it may carry credentials, which a flag would leave in the shell history and in
 * the process list.
 */
export function locateAuditStore(
  flags: AuditStoreFlags,
  env: Readonly<Record<string, string | undefined>>,
  paths: { readonly cwd: string; readonly workspaceRoot: string },
): AuditStoreLocation {
  if (flags.store !== undefined)
    return {
      kind: 'sqlite',
      file: resolve(paths.cwd, flags.store),
      source: '--store',
    };
  const context = flags.context;
  if (context === undefined) throw new AuditStoreUsageError('which store? pass --context <service name> (e.g. --context delegation) or --store <sqlite file>');
  if (!isContextName(context)) throw new AuditStoreUsageError(`--context must be a service name in kebab-case (e.g. delegation), got "${context}"`);
  const connectionString = env['EVENTSTORE_CONNECTION_STRING'];
  if (connectionString)
    return {
      kind: 'eventstoredb',
      connectionString,
      source: 'EVENTSTORE_CONNECTION_STRING',
    };
  const fileVariable = `${envPrefix(context)}_EVENT_STORE`;
  const configured = env[fileVariable];
  if (configured)
    return {
      kind: 'sqlite',
      file: isAbsolute(configured) ? configured : resolve(paths.workspaceRoot, configured),
      source: fileVariable,
    };
  return {
    kind: 'sqlite',
    file: resolve(paths.workspaceRoot, defaultEventStoreFile(context)),
    source: `default of --context ${context}`,
  };
}

/** Describes the store without secrets: a connection string may carry credentials. */
export function describeAuditStore(location: AuditStoreLocation): string {
  return location.kind === 'sqlite' ? `${location.file} (SQLite, from ${location.source})` : `EventStoreDB (${location.source})`;
}

/** The store is not where the flags say; the message says what to do. */
export class AuditStoreNotFoundError extends Error {
  override readonly name = 'AuditStoreNotFoundError';
  constructor(
    readonly file: string,
    context: string | undefined,
  ) {
    super(
      context === undefined
        ? `no event store at ${file}: check the --store path`
        : `no event store at ${file}: pass --store <file>, set ${envPrefix(context)}_EVENT_STORE, or start the ${context} service once to create it`,
    );
  }
}

/**
 * Opens the store for reading only. A SQLite file is opened read-only at the connection level,
 * so an audit can never write, even by mistake, while the service keeps writing (WAL lets both
 * run). EventStoreDB has no read-only connection; the CLI simply never appends.
 */
export function openAuditStore(location: AuditStoreLocation, context?: string): ReadOnlyEventStore {
  if (location.kind === 'sqlite' && !existsSync(location.file))
    throw new AuditStoreNotFoundError(location.file, location.source === '--store' ? undefined : context);
  return openReadOnlyEventStore(location);
}
