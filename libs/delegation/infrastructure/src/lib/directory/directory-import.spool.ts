import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryImportSource, ImportPeopleChunk, ImportSourceRow } from '@leadership/delegation-application';
import type { PersonRecord, Unit } from '@leadership/delegation-domain';

/** A validated row of an NDJSON import. */
export type SpooledRow = { readonly kind: 'unit'; readonly value: Unit } | { readonly kind: 'person'; readonly value: PersonRecord };

/** Rows written to the file per transaction: one fsync-free commit per thousand rows. */
const INSERT_BATCH = 1000;

/**
 * The rows of an NDJSON directory import, spooled to a temporary SQLite file as they arrive, so the
 * whole body is validated before any row is applied (a broken line refuses the import, nothing
 * written) while memory holds only the rows of one insert batch, and later of one chunk. The file
 * also answers what a stream cannot: how many rows there are (progress) and which ids occur more
 * than once anywhere in the body. Deleted by `close()`.
 */
export class DirectoryImportSpool implements DirectoryImportSource {
  readonly label = 'lines' as const;
  private readonly dir: string;
  private readonly db: Database.Database;
  private readonly pending: [number, string, string, string][] = [];
  private sealed = false;
  private readonly count = { units: 0, people: 0 };

  constructor(parent = tmpdir()) {
    this.dir = mkdtempSync(join(parent, 'directory-import-'));
    this.db = new Database(join(this.dir, 'rows.sqlite'));
    // A scratch file: nothing to recover after a crash, so no journal and no syncs; a small page cache.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -4096');
    this.db.exec('CREATE TABLE rows (line INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, value TEXT NOT NULL)');
  }

  get counts(): { readonly units: number; readonly people: number } {
    return { ...this.count };
  }

  add(line: number, row: SpooledRow): void {
    if (this.sealed) throw new Error('the spool is sealed');
    this.pending.push([line, row.kind, row.value.id, JSON.stringify(row.value)]);
    if (row.kind === 'unit') this.count.units += 1;
    else this.count.people += 1;
    if (this.pending.length >= INSERT_BATCH) this.flush();
  }

  /** Ends the writing: the rows are complete, duplicates are found once. */
  seal(): void {
    this.flush();
    this.db.exec(`
      CREATE INDEX rows_by_id ON rows (kind, id);
      CREATE TABLE duplicates AS SELECT kind, id, group_concat(line) AS lines FROM rows GROUP BY kind, id HAVING count(*) > 1;
      CREATE UNIQUE INDEX duplicates_by_id ON duplicates (kind, id);
    `);
    this.sealed = true;
  }

  async units(): Promise<readonly ImportSourceRow<Unit>[]> {
    this.assertSealed();
    const rows = this.db.prepare("SELECT line, value FROM rows WHERE kind = 'unit' ORDER BY line").all() as { line: number; value: string }[];
    return rows.map(({ line, value }) => ({ position: line, value: JSON.parse(value) as Unit }));
  }

  async *people(size: number): AsyncIterable<ImportPeopleChunk> {
    this.assertSealed();
    const page = this.db.prepare(
      "SELECT r.line, r.value, d.lines FROM rows r LEFT JOIN duplicates d ON d.kind = r.kind AND d.id = r.id WHERE r.kind = 'person' AND r.line > ? ORDER BY r.line LIMIT ?",
    );
    for (let after = 0; ; ) {
      const rows = page.all(after, size) as { line: number; value: string; lines: string | null }[];
      if (rows.length === 0) return;
      const duplicates = new Map<string, number[]>();
      const chunk = rows.map(({ line, value, lines }) => {
        const person = JSON.parse(value) as PersonRecord;
        if (lines !== null) duplicates.set(person.id, lines.split(',').map(Number).sort((a, b) => a - b));
        return { position: line, value: person };
      });
      after = rows[rows.length - 1]?.line ?? after;
      yield { rows: chunk, duplicates };
    }
  }

  /** Closes and deletes the file (idempotent). */
  close(): void {
    if (this.db.open) this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const insert = this.db.prepare('INSERT INTO rows (line, kind, id, value) VALUES (?, ?, ?, ?)');
    this.db.transaction((rows: typeof this.pending) => rows.forEach((row) => insert.run(...row)))(this.pending);
    this.pending.length = 0;
  }

  private assertSealed(): void {
    if (!this.sealed) throw new Error('the spool is read only after seal()');
  }
}
