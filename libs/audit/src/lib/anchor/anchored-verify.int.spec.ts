import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import type { ServiceConfig } from '@leadership/platform-runtime';
import { runAuditCliCaptured, writeSampleStore, type SampleLogOptions } from '../../testing';
import { computeEventHash } from '../integrity/event-hash';
import { HashChainedEventStore } from '../integrity/hash-chained-event-store';
import { verifyIntegrity, type IntegrityReport } from '../integrity/verify-integrity';
import { ensureAnchorSigningKey, publicKeyFileOf, readAnchorPublicKey } from './anchor-key';
import { IntegrityAnchorer } from './integrity-anchorer';

const sample: SampleLogOptions = { orders: 8, catalogItems: 3 };
const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/*
 * Issue #11 item 5 on real SQLite files: a store written through the hash chain and anchored by
 * the anchorer, then copied and tampered with raw SQL as someone with the file would.
 */
describe('verify with signed anchors (SQLite file)', () => {
  let dir: string;
  let original: string;
  let logFile: string;
  let keyFile: string;

  function tamperable(): { file: string; log: string; db: Database.Database } {
    const file = join(dir, `${randomUUID()}.sqlite`);
    const log = `${file}.anchors.ndjson`;
    copyFileSync(original, file);
    copyFileSync(logFile, log);
    return { file, log, db: new Database(file) };
  }

  async function verifyFile(file: string, log: string): Promise<IntegrityReport> {
    const store = SqliteEventStore.openReadOnly(file);
    try {
      return await verifyIntegrity(store, { anchorLog: { file: log, publicKey: readAnchorPublicKey(publicKeyFileOf(keyFile)) } });
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-anchored-'));
    original = join(dir, 'intact.sqlite');
    logFile = join(dir, 'anchors.ndjson');
    keyFile = join(dir, 'keys', 'anchor-key.pem');
    await writeSampleStore(original, sample);
    const store = SqliteEventStore.openReadOnly(original);
    const anchorer = new IntegrityAnchorer(store, { logFile, key: ensureAnchorSigningKey(keyFile), intervalMs: 60_000, pageSize: 7 });
    await anchorer.anchorNow();
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a clean store with its anchors is intact', async () => {
    const report = await verifyFile(original, logFile);
    expect(report).toMatchObject({ verdict: 'intact', problems: [], anchors: { anchors: 1, lastAnchoredPosition: String(report.headPosition) } });
  });

  it('reports the deleted tail of a stream as truncated, with the missing revisions', async () => {
    const { file, log, db } = tamperable();
    db.prepare(`DELETE FROM events WHERE stream_name = 'order-3' AND revision >= 4`).run();
    db.close();
    const report = await verifyFile(file, log);
    expect(report.verdict).toBe('truncated');
    // order-3 has 3 + 3 % 4 = 6 events: revisions 4 and 5 are gone.
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'truncated', streamName: 'order-3', revision: 4, missingRevisions: { from: 4, to: 5 } })]);
  });

  it('reports a deleted stream', async () => {
    const { file, log, db } = tamperable();
    db.prepare(`DELETE FROM events WHERE stream_name = 'order-1'`).run();
    db.close();
    const report = await verifyFile(file, log);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'stream-missing', streamName: 'order-1', missingRevisions: { from: 0, to: 3 } })]);
  });

  it.each([
    ['actor', `json_set(metadata, '$.actor', 'someone-else')`],
    ['correlationId', `json_set(metadata, '$.correlationId', 'forged')`],
    ['the recorded time the hash covers', `json_set(metadata, '$.integrity.recordedAt', '2020-01-01T00:00:00.000Z')`],
  ])('reports a changed %s as a hash-mismatch', async (_field, update) => {
    const { file, log, db } = tamperable();
    const target = db.prepare<[], { position: number }>(`SELECT position FROM events WHERE stream_name = 'order-2' AND revision = 1`).get()!;
    db.prepare(`UPDATE events SET metadata = ${update} WHERE position = ?`).run(target.position);
    db.close();
    const report = await verifyFile(file, log);
    expect(report.verdict).toBe('tampered');
    expect(report.problems[0]).toMatchObject({ kind: 'hash-mismatch', streamName: 'order-2', revision: 1 });
    // A changed hashed time also no longer agrees with the store's own.
    expect(report.problems.slice(1).map((p) => p.kind)).toEqual(update.includes('recordedAt') ? ['recorded-at-mismatch'] : []);
  });

  it('reports the store’s recordedAt moved away from the hashed time', async () => {
    const { file, log, db } = tamperable();
    db.prepare(`UPDATE events SET recorded_at = '2020-01-01T00:00:00.000Z' WHERE stream_name = 'order-2' AND revision = 1`).run();
    db.close();
    const report = await verifyFile(file, log);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'recorded-at-mismatch', streamName: 'order-2', revision: 1, actual: '2020-01-01T00:00:00.000Z' })]);
  });

  it('reports an anchor whose content no longer matches its signature', async () => {
    const { file, log, db } = tamperable();
    db.close();
    // Someone lowers the anchored head of order-3 to hide a truncation: the signature breaks.
    const [line] = readFileSync(log, 'utf8').split('\n');
    const anchor = JSON.parse(line!) as { streams: Record<string, { revision: number }> };
    anchor.streams['order-3']!.revision = 3;
    writeFileSync(log, `${JSON.stringify(anchor)}\n`);
    const report = await verifyFile(file, log);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'anchor-invalid', revision: 1, detail: 'bad signature on anchor 0' })]);
  });

  it('reports an anchor signed by another key, and a deleted anchor log', async () => {
    const { file, log, db } = tamperable();
    db.close();
    const other = new IntegrityAnchorer(SqliteEventStore.openReadOnly(file), { logFile: join(dir, `${randomUUID()}.ndjson`), key: ensureAnchorSigningKey(join(dir, `${randomUUID()}.pem`)), intervalMs: 60_000 });
    const forged = await other.anchorNow();
    writeFileSync(log, `${JSON.stringify(forged)}\n`);
    expect((await verifyFile(file, log)).problems).toEqual([expect.objectContaining({ kind: 'anchor-invalid', detail: expect.stringContaining('not by the anchor key') })]);
    rmSync(log);
    expect((await verifyFile(file, log)).problems).toEqual([expect.objectContaining({ kind: 'anchor-invalid', detail: expect.stringContaining('no anchor log') })]);
  });

  it('anchors incrementally and chains the log; a removed middle anchor is reported', async () => {
    const file = join(dir, `${randomUUID()}.sqlite`);
    const log = join(dir, `${randomUUID()}.ndjson`);
    copyFileSync(original, file);
    const store = new HashChainedEventStore(new SqliteEventStore(file, { synchronous: 'NORMAL' }));
    const anchorer = new IntegrityAnchorer(store, { logFile: log, key: ensureAnchorSigningKey(keyFile), intervalMs: 60_000 });
    await anchorer.anchorNow();
    const event = () => ({ type: 'OrderReturned', data: { at: '2025-02-01T00:00:00Z' }, metadata: { eventId: randomUUID(), actor: 'clerk-1' } });
    await store.appendToStream('order-0', [event()], 'stream_exists');
    const second = await anchorer.anchorNow();
    expect(Object.keys(second?.streams ?? {})).toEqual(['order-0']);
    expect(await anchorer.anchorNow()).toBeUndefined(); // nothing moved
    await store.appendToStream('order-5', [event()], 'stream_exists');
    await anchorer.anchorNow();
    await store.close();
    expect(await verifyFile(file, log)).toMatchObject({ verdict: 'intact', anchors: { anchors: 3 } });
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    writeFileSync(log, `${[lines[0], lines[2]].join('\n')}\n`);
    expect((await verifyFile(file, log)).problems).toEqual([expect.objectContaining({ kind: 'anchor-invalid', revision: 2, detail: expect.stringContaining('sequence 2 where 1 was expected') })]);
  });

  it('keeps verifying events hashed with scheme 1, then chains scheme-2 events onto them', async () => {
    const file = join(dir, `${randomUUID()}.sqlite`);
    const raw = new SqliteEventStore(file, { synchronous: 'NORMAL' });
    const eventId = randomUUID();
    const data = { mandateId: 'm-1' };
    const hash = computeEventHash({ previousHash: null, eventId, streamName: 'legacy-1', type: 'MandateProposed', data });
    await raw.appendToStream('legacy-1', [{ type: 'MandateProposed', data, metadata: { eventId, actor: 'p-1', integrity: { algorithm: 'sha256', previousHash: null, hash } } }], 'no_stream');
    const store = new HashChainedEventStore(raw);
    await store.appendToStream('legacy-1', [{ type: 'MandateAccepted', data, metadata: { eventId: randomUUID(), actor: 'p-2' } }], 0);
    const stored = await raw.readStream('legacy-1');
    expect(stored[1]?.metadata['integrity']).toMatchObject({ scheme: 2, previousHash: hash });
    const report = await verifyIntegrity(raw);
    await store.close();
    expect(report).toMatchObject({ verdict: 'intact', eventsChecked: 2 });
  });

  it('the runtime’s hook anchors automatically: key generated on first start, an anchor at start and at stop', async () => {
    const storeDir = mkdtempSync(join(dir, 'service-'));
    const file = join(storeDir, 'events.sqlite');
    const store = new HashChainedEventStore(new SqliteEventStore(file, { synchronous: 'NORMAL' }), { env: { SHOP_AUDIT_ANCHOR_INTERVAL_MS: '60000' } });
    const config = { serviceName: 'shop', eventStore: { kind: 'sqlite', file } } as unknown as ServiceConfig;
    const [worker] = store.serviceWorkers({ config, logger: quietLogger });
    expect(worker?.name).toBe('integrity-anchors');
    await worker!.start();
    await store.appendToStream('order-1', [{ type: 'OrderPlaced', data: {}, metadata: { eventId: randomUUID() } }], 'no_stream');
    await worker!.stop();
    await store.close();
    expect(existsSync(join(storeDir, 'audit-anchor-key.pem'))).toBe(true);
    expect(existsSync(join(storeDir, 'audit-anchor-key.pub.pem'))).toBe(true);
    const anchors = readFileSync(join(storeDir, 'audit-anchors.ndjson'), 'utf8').trim().split('\n');
    expect(anchors.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(anchors.at(-1)!)).toMatchObject({ headPosition: '1', streams: { 'order-1': { revision: 0 } } });

    // The CLI finds the anchors and the public key beside the store by itself, and catches a deletion.
    const db = new Database(file);
    db.prepare(`DELETE FROM events WHERE stream_name = 'order-1'`).run();
    db.close();
    const run = await runAuditCliCaptured(['verify', '--store', file], { cwd: dir, workspaceRoot: dir, contexts: { replayers: {} } });
    expect(run.stdout).toContain('stream-missing: order-1 revisions 0..0 are gone');
    expect(run.stdout).toContain('FAILED: 1 problem(s), truncated');
    expect(run.code).toBe(1);
  });

  it('is off, and says why, with <NAME>_AUDIT_ANCHORS=off or on EventStoreDB without paths', () => {
    const warnings: unknown[] = [];
    const logger = { ...quietLogger, warn: (_message: string, fields?: unknown) => void warnings.push(fields) };
    const off = new HashChainedEventStore(new SqliteEventStore(':memory:'), { env: { SHOP_AUDIT_ANCHORS: 'off' } });
    expect(off.serviceWorkers({ config: { serviceName: 'shop', eventStore: { kind: 'sqlite', file: join(dir, 'x.sqlite') } } as unknown as ServiceConfig, logger })).toEqual([]);
    const esdb = new HashChainedEventStore(new SqliteEventStore(':memory:'), { env: {} });
    expect(esdb.serviceWorkers({ config: { serviceName: 'shop', eventStore: { kind: 'eventstoredb', connectionString: 'esdb://x' } } as unknown as ServiceConfig, logger })).toEqual([]);
    expect(warnings).toEqual([{ reason: 'SHOP_AUDIT_ANCHORS=off' }, { reason: expect.stringContaining('SHOP_AUDIT_ANCHOR_LOG') }]);
  });
});
