import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { writeSampleStore, type SampleLogOptions } from '../../testing';
import { expectedEventHash, readIntegrity } from './event-hash';
import { createIntegrityAnchor, verifyIntegrity, type IntegrityReport } from './verify-integrity';

const WORKSPACE_ROOT = resolve(__dirname, '../../../../..');
const sample: SampleLogOptions = { orders: 14, catalogItems: 5 };

interface StoredRow {
  readonly position: number;
  readonly stream_name: string;
  readonly revision: number;
  readonly event_id: string;
  readonly data: string;
  readonly metadata: string;
}

describe('verifyIntegrity', () => {
  let dir: string;
  let original: string;
  let eventCount: number;

  /** A copy of the intact store to tamper with, plus a raw connection to do it. */
  function tamperableCopy(): { file: string; db: Database.Database } {
    const file = join(dir, `${randomUUID()}.sqlite`);
    copyFileSync(original, file);
    return { file, db: new Database(file) };
  }

  /** An order stream's event in the middle of its stream (it has a predecessor and a successor). */
  function middleEvent(db: Database.Database): StoredRow {
    return db
      .prepare<[], StoredRow>(
        `SELECT e.* FROM events e WHERE e.stream_category = 'order' AND e.revision = 1
         AND EXISTS (SELECT 1 FROM events n WHERE n.stream_name = e.stream_name AND n.revision = 2) ORDER BY e.position LIMIT 1`,
      )
      .get() as StoredRow;
  }

  async function verifyFile(file: string, options: Parameters<typeof verifyIntegrity>[1] = {}): Promise<IntegrityReport> {
    const store = SqliteEventStore.openReadOnly(file);
    try {
      return await verifyIntegrity(store, { pageSize: 37, ...options });
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
    original = join(dir, 'intact.sqlite');
    eventCount = (await writeSampleStore(original, sample)).log.length;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds nothing wrong in an intact store, reading $all once page by page', async () => {
    const progress: number[] = [];
    const report = await verifyFile(original, { onProgress: (p) => progress.push(p.eventsRead), progressIntervalMs: 0 });
    expect(report.problems).toEqual([]);
    expect(report.eventsChecked).toBe(eventCount);
    expect(report.streamsChecked).toBe(19);
    expect(progress.at(-1)).toBe(eventCount);
    expect(progress.length).toBeGreaterThan(2);
  });

  it('reports a tampered event (data edited in the file) as a hash-mismatch naming it, and only it', async () => {
    const { file, db } = tamperableCopy();
    const target = middleEvent(db);
    const data = JSON.parse(target.data) as Record<string, unknown>;
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...data, step: 99 }), target.position);
    db.close();

    const report = await verifyFile(file);
    const storedHash = readIntegrity(JSON.parse(target.metadata) as Record<string, unknown>)?.hash;
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'hash-mismatch', streamName: target.stream_name, revision: 1, eventId: target.event_id, actual: storedHash }),
    ]);
    expect(report.problems[0]?.expected).not.toBe(storedHash);
    expect(await verifyFile(original)).toMatchObject({ problems: [] });
  });

  it('reports an event rewritten together with its hash as a broken link on its successor', async () => {
    const { file, db } = tamperableCopy();
    const target = middleEvent(db);
    const metadata = JSON.parse(target.metadata) as Record<string, unknown>;
    const integrity = readIntegrity(metadata)!;
    const data = { ...(JSON.parse(target.data) as Record<string, unknown>), note: 'rewritten' };
    const type = db.prepare<[number], { type: string }>('SELECT type FROM events WHERE position = ?').get(target.position)!.type;
    const rehashed = expectedEventHash({ streamName: target.stream_name, revision: target.revision, type, data, metadata: metadata as { eventId: string } }, integrity);
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(data), JSON.stringify({ ...metadata, integrity: { ...integrity, hash: rehashed } }), target.position);
    db.close();

    const report = await verifyFile(file);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'broken-link', streamName: target.stream_name, revision: 2, expected: rehashed, actual: integrity.hash }),
    ]);
  });

  it('reports a removed event as a broken link', async () => {
    const { file, db } = tamperableCopy();
    const target = middleEvent(db);
    db.prepare('DELETE FROM events WHERE position = ?').run(target.position);
    db.close();
    const report = await verifyFile(file);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'broken-link', streamName: target.stream_name, revision: 2 })]);
  });

  it('reports events without integrity metadata', async () => {
    const { file, db } = tamperableCopy();
    const target = middleEvent(db);
    const { integrity: _removed, ...metadata } = JSON.parse(target.metadata) as Record<string, unknown>;
    db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify(metadata), target.position);
    db.close();
    const report = await verifyFile(file);
    expect(report.problems.map((problem) => [problem.kind, problem.revision])).toEqual([
      ['missing-integrity', 1],
      // Its successor links to a hash that is no longer stored anywhere.
      ['broken-link', 2],
    ]);
  });

  it('cannot see a rewrite of a stream’s last event with its hash, but an anchor taken before can', async () => {
    const anchorStore = SqliteEventStore.openReadOnly(original);
    const anchor = await createIntegrityAnchor(anchorStore);
    await anchorStore.close();
    const { file, db } = tamperableCopy();
    const last = db
      .prepare<[], StoredRow & { type: string }>(`SELECT * FROM events e WHERE stream_category = 'order' AND revision = (SELECT MAX(revision) FROM events n WHERE n.stream_name = e.stream_name) LIMIT 1`)
      .get()!;
    const metadata = JSON.parse(last.metadata) as Record<string, unknown>;
    const integrity = readIntegrity(metadata)!;
    const data = { ...(JSON.parse(last.data) as Record<string, unknown>), actorId: 'someone-else' };
    const hash = expectedEventHash({ streamName: last.stream_name, revision: last.revision, type: last.type, data, metadata: metadata as { eventId: string } }, integrity);
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(data), JSON.stringify({ ...metadata, integrity: { ...integrity, hash } }), last.position);
    db.close();

    expect(await verifyFile(file)).toMatchObject({ problems: [] });
    const withAnchor = await verifyFile(file, { anchor });
    expect(withAnchor.problems).toEqual([
      { kind: 'anchor-mismatch', streamName: last.stream_name, revision: last.revision, eventId: last.event_id, expected: integrity.hash, actual: hash },
    ]);
  });

  it('reports anchored events that are gone', async () => {
    const store = SqliteEventStore.openReadOnly(original);
    const anchor = await createIntegrityAnchor(store, { now: () => new Date('2025-06-01T00:00:00Z') });
    await store.close();
    expect(anchor).toMatchObject({ version: 1, createdAt: '2025-06-01T00:00:00.000Z', headPosition: String(eventCount) });
    const { file, db } = tamperableCopy();
    const target = middleEvent(db);
    const tail = db.prepare<[string], { revision: number }>('SELECT MAX(revision) AS revision FROM events WHERE stream_name = ?').get(target.stream_name)!;
    db.prepare('DELETE FROM events WHERE stream_name = ? AND revision = ?').run(target.stream_name, tail.revision);
    db.close();
    const report = await verifyFile(file, { anchor });
    expect(report.problems).toEqual([
      {
        kind: 'truncated',
        streamName: target.stream_name,
        revision: tail.revision,
        eventId: '',
        expected: anchor.streams[target.stream_name]?.hash,
        actual: null,
        missingRevisions: { from: tail.revision, to: tail.revision },
      },
    ]);
    expect(report.verdict).toBe('truncated');
  });

  it('npm run audit -- verify exits 1 and names the tampered event (and 0 on the intact store)', async () => {
    const { file, db } = tamperableCopy();
    const target = middleEvent(db);
    db.prepare(`UPDATE events SET data = json_set(data, '$.at', '2020-01-01T00:00:00Z') WHERE position = ?`).run(target.position);
    db.close();

    const audit = (store: string) =>
      spawnSync('npm', ['run', '--silent', 'audit', '--', 'verify', '--store', store], { cwd: WORKSPACE_ROOT, encoding: 'utf8', timeout: 120_000 });
    const tampered = audit(file);
    expect(tampered.stdout).toContain(`hash-mismatch: ${target.stream_name} revision 1 event ${target.event_id}`);
    expect(tampered.stdout).toContain('FAILED: 1 problem(s)');
    expect(tampered.status).toBe(1);
    const intact = audit(original);
    expect(intact.stdout).toContain('OK: every chain is intact');
    expect(intact.status).toBe(0);
  });
});
