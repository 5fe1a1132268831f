import Database from 'better-sqlite3';
import type { RelayCheckpointStore } from './relay-checkpoint.store';

/** Options of {@link SqliteRelayCheckpointStore}. */
export interface SqliteRelayCheckpointStoreOptions {
  /** Table name; default `relay_checkpoints`. */
  readonly table?: string;
  /** How long a write waits for another connection's lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/*
 * A table in a SQLite file. Pointing it at the event store's own file keeps the checkpoint
 * beside the events (one file to back up, restored together) through a second connection; the
 * event store's tables are not touched. WAL lets it write while the store's connection reads.
 */
export class SqliteRelayCheckpointStore implements RelayCheckpointStore {
  private readonly db: Database.Database;
  private readonly owned: boolean;
  private readonly select: Database.Statement<[string], { position: bigint }>;
  private readonly upsert: Database.Statement<[string, bigint, string]>;

  /** @param file a database file (created when missing), `:memory:`, or an open connection (not closed by close()). */
  constructor(file: string | Database.Database, options: SqliteRelayCheckpointStoreOptions = {}) {
    const table = options.table ?? 'relay_checkpoints';
    if (!/^[a-z_][a-z0-9_]*$/i.test(table)) throw new TypeError(`invalid table name "${table}"`);
    this.owned = typeof file === 'string';
    this.db = typeof file === 'string' ? new Database(file) : file;
    if (this.owned) {
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    }
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (relay TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at TEXT NOT NULL)`,
    );
    this.select = this.db.prepare<[string], { position: bigint }>(`SELECT position FROM ${table} WHERE relay = ?`).safeIntegers(true);
    // The WHERE keeps the checkpoint monotonic even if an older save lands late.
    this.upsert = this.db.prepare<[string, bigint, string]>(
      `INSERT INTO ${table} (relay, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (relay) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
       WHERE excluded.position > ${table}.position`,
    );
  }

  async load(relay: string): Promise<bigint | undefined> {
    return this.select.get(relay)?.position;
  }

  async save(relay: string, position: bigint): Promise<void> {
    this.upsert.run(relay, position, new Date().toISOString());
  }

  close(): void {
    if (this.owned) this.db.close();
  }
}
