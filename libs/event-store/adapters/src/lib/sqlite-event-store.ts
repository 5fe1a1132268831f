import Database from 'better-sqlite3';
import { EventIdConflictError, ReadOnlyEventStoreError, WrongExpectedRevisionError } from '@leadership/event-store';
import type {
  AllFilter,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadOnlyEventStore,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@leadership/event-store';
import { assertAllFilter, assertNewEvents, assertReadAllOptions, assertReadStreamOptions, assertStreamName } from '@leadership/event-store';
import { assertExpectedRevision, matchesExpectedRevision, type CurrentRevision } from '@leadership/event-store';
import { startPollingSubscription, type PollingSubscription } from '@leadership/event-store';
import { categoryOf } from '@leadership/kernel';

/** Options of {@link SqliteEventStore}. */
export interface SqliteEventStoreOptions {
  /**
   * `FULL` (default): a resolved append survives a power loss (the WAL is fsynced on every
   * commit). `NORMAL`: it survives a crash of the process, but the last commits may be lost on
   * power loss or an OS crash, in exchange for far fewer fsyncs.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /**
   * How long a write (or a read during a checkpoint) waits for another connection's lock
   * before failing with SQLITE_BUSY, in ms. Default 5000. The wait blocks the calling thread:
   * better-sqlite3 is synchronous.
   */
  readonly busyTimeoutMs?: number;
  /** Subscriptions poll for events of other connections this often once caught up, in ms. Default 50. */
  readonly pollIntervalMs?: number;
  /** Events read per query by subscriptions while catching up. Default 500. */
  readonly pageSize?: number;
  /** Opens the file read-only (it must exist); prefer {@link SqliteEventStore.openReadOnly}. */
  readonly readonly?: boolean;
  /** Source of `recordedAt`; a test may pin it. Default: the system clock. */
  readonly clock?: () => Date;
}

/** Layout version kept in `PRAGMA user_version`; a later layout migrates from it. */
const SCHEMA_VERSION = 1;

/*
 * One table is the whole store. The database itself enforces the invariants, so that several
 * connections (threads, processes) can write the same file safely:
 *   - position: INTEGER PRIMARY KEY AUTOINCREMENT is the global order. It is allocated under the
 *     single SQLite write lock and never reused, so a reader never sees position n+1 without n
 *     and a checkpoint is a plain `position > ?`;
 *   - UNIQUE (stream_name, revision): two writers that both saw revision r cannot both write r+1;
 *   - UNIQUE event_id: an event id is stored once, in one stream (idempotency, conflicts).
 * The (stream_category, position) and (type, position) indexes serve the readAll filters in
 * position order without a sort.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position        INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_name     TEXT    NOT NULL,
  stream_category TEXT    NOT NULL,
  revision        INTEGER NOT NULL CHECK (revision >= 0),
  event_id        TEXT    NOT NULL UNIQUE,
  type            TEXT    NOT NULL,
  data            TEXT    NOT NULL,
  metadata        TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  UNIQUE (stream_name, revision)
);
CREATE INDEX IF NOT EXISTS events_category_position ON events (stream_category, position);
CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position);
`;

/** The columns of every event read, in the order of {@link EventRow}. */
const COLUMNS = 'position, stream_name, revision, type, data, metadata, recorded_at';
/** SQLite's LIMIT -1 means "no limit". */
const NO_LIMIT = -1;

/**
 * An event row as the read statements return it: an array (`.raw()`), not an object with named
 * keys. better-sqlite3 builds an array per row far more cheaply than an object with seven named
 * properties, and a full scan of $all reads millions of rows.
 */
type EventRow = [position: number, streamName: string, revision: number, type: string, data: string, metadata: string, recordedAt: string];

interface StoredIdRow {
  readonly event_id: string;
  readonly stream_name: string;
  readonly revision: number;
  readonly position: number;
}

type InsertParams = [string, string, number, string, string, string, string, string];

/**
 * Thrown inside the append transaction to roll it back; the decision (idempotent retry, conflict,
 * wrong revision) is taken outside it, where the batch's own uncommitted rows are gone.
 */
class AppendRefused {
  constructor(readonly current: CurrentRevision, readonly reason: 'revision' | 'event_id') {}
}

/** An append waiting for the next group commit. */
interface QueuedAppend {
  readonly streamName: string;
  readonly events: readonly NewEvent[];
  readonly ids: readonly string[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** What became of one append inside a group commit. */
type AppendOutcome = { readonly ok: AppendResult } | { readonly refused: AppendRefused } | { readonly failed: unknown };

/**
 * The embedded event store: one SQLite file in WAL mode (readers never block the writer or each
 * other; other processes may open the same file). See README.md for the semantics.
 */
export class SqliteEventStore implements EventStore {
  /**
   * Opens an existing store file for reading only, e.g. from a projector process while the
   * service process writes. Its type has no append; a cast-away append is refused too.
   */
  static openReadOnly(file: string, options: Omit<SqliteEventStoreOptions, 'readonly' | 'synchronous' | 'clock'> = {}): ReadOnlyEventStore {
    return new SqliteEventStore(file, { ...options, readonly: true });
  }

  private readonly db: Database.Database;
  private readonly readonly: boolean;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly readAllStatements = new Map<string, Database.Statement<unknown[], EventRow>>();
  private readonly headRevision: Database.Statement<[string], { revision: number }>;
  private readonly headPositionStatement: Database.Statement<[], { position: number | null }>;
  private readonly insert: Database.Statement<InsertParams>;
  private readonly storedIds: Database.Statement<[string], StoredIdRow>;
  private readonly readForwards: Database.Statement<[string, number, number], EventRow>;
  private readonly readBackwards: Database.Statement<[string, number, number], EventRow>;
  private readonly appendTransaction: Database.Transaction<(streamName: string, events: readonly NewEvent[], ids: readonly string[], expected: ExpectedRevision) => AppendResult>;
  private readonly groupCommit: Database.Transaction<(batch: readonly QueuedAppend[]) => AppendOutcome[]>;
  private queued: QueuedAppend[] = [];
  private flushScheduled = false;
  private closed = false;

  /** @param file path of the database file (created when missing), or `:memory:` for a private in-memory store. */
  constructor(readonly file: string, options: SqliteEventStoreOptions = {}) {
    this.readonly = options.readonly ?? false;
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.pageSize = options.pageSize ?? 500;
    this.db = new Database(file, this.readonly ? { readonly: true, fileMustExist: true } : {});
    try {
      // busy_timeout first: the pragmas and the schema below may wait for another connection.
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      if (this.readonly) {
        const version = this.db.pragma('user_version', { simple: true });
        if (version !== SCHEMA_VERSION) throw new Error(`${file} is not an event store of schema version ${SCHEMA_VERSION} (found ${String(version)})`);
      } else {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
        this.migrate();
      }
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.headRevision = this.db.prepare('SELECT revision FROM events WHERE stream_name = ? ORDER BY revision DESC LIMIT 1');
    this.headPositionStatement = this.db.prepare('SELECT MAX(position) AS position FROM events');
    this.insert = this.db.prepare(
      'INSERT INTO events (stream_name, stream_category, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.storedIds = this.db.prepare('SELECT event_id, stream_name, revision, position FROM events WHERE event_id IN (SELECT value FROM json_each(?))');
    this.readForwards = this.db.prepare<[string, number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision LIMIT ?`).raw();
    this.readBackwards = this.db.prepare<[string, number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream_name = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`).raw();
    this.appendTransaction = this.db.transaction((streamName, events, ids, expected) => this.appendInTransaction(streamName, events, ids, expected));
    this.groupCommit = this.db.transaction((batch: readonly QueuedAppend[]) => batch.map((append) => this.appendInGroup(append)));
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision = 'any'): Promise<AppendResult> {
    this.assertOpen();
    if (this.readonly) throw new ReadOnlyEventStoreError('appendToStream');
    assertStreamName(streamName);
    assertExpectedRevision(expectedRevision);
    const ids = assertNewEvents(events);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queued.push({ streamName, events, ids, expected: expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /*
   * Group commit. With synchronous=FULL every commit is an fsync, and better-sqlite3 runs it on
   * the event loop: one commit per append made a busy service spend most of its time waiting
   * for the disk. Appends that arrive in the same turn of the event loop are therefore written
   * in one transaction — each in its own savepoint, so one refused append (wrong revision,
   * duplicate id) rolls back alone and the others commit — and resolved only after the commit,
   * so an acknowledged append is as durable as before. Semantics are those of the appends run
   * one after the other in arrival order; a single append waits one macrotask more.
   */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    if (this.closed) {
      for (const append of batch) append.reject(new Error('the event store was closed before the append was written'));
      return;
    }
    let outcomes: AppendOutcome[];
    try {
      // IMMEDIATE takes the write lock before reading the head revisions, so each check and its
      // insert see the same stream (a deferred transaction could fail to upgrade its lock).
      outcomes = this.groupCommit.immediate(batch);
    } catch (error) {
      // The commit itself failed (busy beyond the timeout, disk full): nothing of the batch is written.
      for (const append of batch) append.reject(error);
      return;
    }
    let written = false;
    batch.forEach((append, index) => {
      const outcome = outcomes[index] as AppendOutcome;
      if ('ok' in outcome) {
        written = true;
        append.resolve(outcome.ok);
      } else if ('refused' in outcome) {
        // Decided on committed state (the batch's own appends included): retry, conflict or wrong revision.
        try {
          append.resolve(this.resolveRefusal(append.streamName, append.ids, append.expected, outcome.refused));
        } catch (error) {
          append.reject(error);
        }
      } else {
        append.reject(outcome.failed);
      }
    });
    if (written) for (const subscription of this.subscriptions) subscription.wake();
  }

  /** One append of a group commit, in a savepoint (a nested better-sqlite3 transaction). */
  private appendInGroup(append: QueuedAppend): AppendOutcome {
    try {
      return { ok: this.appendTransaction(append.streamName, append.events, append.ids, append.expected) };
    } catch (error) {
      return error instanceof AppendRefused ? { refused: error } : { failed: error };
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertStreamName(streamName);
    assertReadStreamOptions(options);
    const limit = options.maxCount ?? NO_LIMIT;
    const rows =
      options.direction === 'backwards'
        ? this.readBackwards.all(streamName, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.readForwards.all(streamName, options.fromRevision ?? 0, limit);
    return toRecordedEvents(rows);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertReadAllOptions(options);
    assertAllFilter(options.filter);
    return this.readAllNow(options.after, options.maxCount ?? NO_LIMIT, options.filter);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    assertReadAllOptions({ after: options.after });
    assertAllFilter(options.filter);
    const subscription = startPollingSubscription((after, maxCount) => this.readAllNow(after, maxCount, options.filter), options, {
      pageSize: this.pageSize,
      pollIntervalMs: this.pollIntervalMs,
    });
    this.subscriptions.add(subscription);
    void subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    const { position } = this.headPositionStatement.get() ?? { position: null };
    return position === null ? undefined : BigInt(position);
  }

  /** The connection's effective durability settings, as SQLite reports them (for health checks and tests). */
  settings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA'; busyTimeoutMs: number } {
    const synchronous = (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[Number(this.db.pragma('synchronous', { simple: true }))] ?? 'OFF';
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous,
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are written before the connection goes.
    if (this.queued.length > 0) this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
  }

  private migrate(): void {
    this.db
      .transaction(() => {
        const version = this.db.pragma('user_version', { simple: true });
        if (version === SCHEMA_VERSION) return;
        if (typeof version !== 'number' || version > SCHEMA_VERSION) {
          throw new Error(`${this.file} has event store schema version ${String(version)}, newer than this code (${SCHEMA_VERSION})`);
        }
        this.db.exec(SCHEMA);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })
      // Several processes may open a new file at once: the write lock makes one create the schema.
      .immediate();
  }

  private appendInTransaction(streamName: string, events: readonly NewEvent[], ids: readonly string[], expected: ExpectedRevision): AppendResult {
    const current: CurrentRevision = this.headRevision.get(streamName)?.revision ?? 'no_stream';
    if (!matchesExpectedRevision(expected, current)) throw new AppendRefused(current, 'revision');
    const first = current === 'no_stream' ? 0 : current + 1;
    const category = categoryOf(streamName);
    const recordedAt = this.clock().toISOString();
    let position = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as NewEvent;
      try {
        const info = this.insert.run(streamName, category, first + i, ids[i] as string, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), recordedAt);
        position = Number(info.lastInsertRowid);
      } catch (error) {
        // No lookup on the happy path: the UNIQUE index is the idempotency check.
        if (isUniqueViolation(error, 'events.event_id')) throw new AppendRefused(current, 'event_id');
        // Cannot happen while we hold the write lock, but the constraint is the last word.
        if (isUniqueViolation(error, 'events.stream_name')) throw new AppendRefused(current, 'revision');
        throw error;
      }
    }
    return { nextExpectedRevision: first + events.length - 1, position: BigInt(position) };
  }

  /** Decides a refused append from what is committed: an idempotent retry, a conflict, or a wrong revision. */
  private resolveRefusal(streamName: string, ids: readonly string[], expected: ExpectedRevision, refusal: AppendRefused): AppendResult {
    const stored = this.storedIds.all(JSON.stringify(ids));
    const elsewhere = stored.filter((row) => row.stream_name !== streamName);
    if (elsewhere.length > 0) throw new EventIdConflictError(streamName, 'stored_in_other_stream', elsewhere.map((row) => row.event_id));
    if (stored.length === ids.length) {
      const latest = stored.reduce((a, b) => (b.revision > a.revision ? b : a));
      return { nextExpectedRevision: latest.revision, position: BigInt(latest.position) };
    }
    if (stored.length > 0) throw new EventIdConflictError(streamName, 'partially_stored', stored.map((row) => row.event_id));
    if (refusal.reason === 'event_id') {
      // The id violated UNIQUE but is not there any more: events are never deleted, so this is a bug.
      throw new Error(`append to ${streamName} hit a duplicate event id that cannot be found`);
    }
    throw new WrongExpectedRevisionError(streamName, expected, refusal.current);
  }

  private readAllNow(after: bigint | undefined, maxCount: number, filter: AllFilter | undefined): RecordedEvent[] {
    const categories = filter?.streamCategories ?? [];
    const types = filter?.eventTypes ?? [];
    const statement = this.readAllStatement(categories.length, types.length);
    // Positions fit in a double: 2^53 events is beyond any SQLite file.
    const rows = statement.all(after === undefined ? -1 : Number(after), ...categories, ...types, maxCount);
    return toRecordedEvents(rows);
  }

  /** One prepared statement per filter shape (number of categories, number of types), cached. */
  private readAllStatement(categories: number, types: number): Database.Statement<unknown[], EventRow> {
    const key = `${categories}/${types}`;
    let statement = this.readAllStatements.get(key);
    if (!statement) {
      const placeholders = (n: number): string => new Array<string>(n).fill('?').join(', ');
      const where = ['position > ?'];
      if (categories > 0) where.push(`stream_category IN (${placeholders(categories)})`);
      if (types > 0) where.push(`type IN (${placeholders(types)})`);
      statement = this.db.prepare<unknown[], EventRow>(`SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`).raw();
      this.readAllStatements.set(key, statement);
    }
    return statement;
  }

  private assertOpen(): void {
    // Clearer than better-sqlite3's "The database connection is not open".
    if (this.closed) throw new Error(`event store ${this.file} is closed`);
  }
}

function toRecordedEvents(rows: readonly EventRow[]): RecordedEvent[] {
  const events = new Array<RecordedEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) events[i] = new SqliteRecordedEvent(rows[i] as EventRow);
  return events;
}

/**
 * A {@link RecordedEvent} read from the file. Same contract as a plain object (every property is
 * an own enumerable one, so spreading, destructuring and deep equality see it), with one
 * difference in cost: `metadata` is parsed from its JSON on first access, not per row.
 *
 * Why: a full scan of $all (audit replay, projections catching up, rebuilds) reads every row, but
 * most readers never look at the metadata. Parsing it eagerly was about a third of the read cost
 * (an object per event, a nested `integrity` object and several 36–64 character strings), and
 * the garbage it left cost about as much again in scavenges. The JSON text is kept instead and
 * parsed once, on demand; the parsed object is cached, so a reader that does look sees one
 * stable object, as before.
 *
 * `position` stays an eagerly made bigint: it is the port's contract, and a lazy one measured no
 * faster (V8 makes small bigints cheaply).
 */
class SqliteRecordedEvent implements RecordedEvent {
  /** `metadata` as an own, enumerable accessor; one shared descriptor, so every instance keeps one hidden class. */
  private static readonly metadataProperty: PropertyDescriptor = {
    enumerable: true,
    configurable: false,
    get(this: SqliteRecordedEvent): EventMetadata {
      return this.parsedMetadata();
    },
  };

  readonly streamName: string;
  readonly type: string;
  readonly data: unknown;
  declare readonly metadata: EventMetadata;
  readonly revision: number;
  readonly position: bigint;
  readonly recordedAt: string;
  #metadata: EventMetadata | string;

  constructor(row: EventRow) {
    this.streamName = row[1];
    this.type = row[3];
    this.data = JSON.parse(row[4]) as unknown;
    this.revision = row[2];
    this.position = BigInt(row[0]);
    this.recordedAt = row[6];
    this.#metadata = row[5];
    Object.defineProperty(this, 'metadata', SqliteRecordedEvent.metadataProperty);
  }

  private parsedMetadata(): EventMetadata {
    if (typeof this.#metadata === 'string') this.#metadata = JSON.parse(this.#metadata) as EventMetadata;
    return this.#metadata;
  }
}

/*
 * Recognised by shape, not `instanceof SqliteError`: a second copy of the better-sqlite3 module
 * (jest's per-file module registry, bundlers) has its own SqliteError class.
 */
function isUniqueViolation(error: unknown, column: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return typeof e === 'object' && e !== null && e.code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof e.message === 'string' && e.message.includes(column);
}
