import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { parseCsv } from '../../testing';
import { computeEventHashV2 } from '../integrity/event-hash';
import { HashChainedEventStore } from '../integrity/hash-chained-event-store';
import { EXPORT_COLUMNS, exportEvents, toExportedEvent, type ExportedEvent, type ExportOptions } from './export-events';

/** Data that tries every CSV and JSON escaping rule. */
const awkward = {
  at: '2025-03-01T00:00:00Z',
  note: 'comma, "quotes", semicolon; CR\r LF\n CRLF\r\n tab\t unicode ü 😀 \u2028 end',
  nested: { list: [1, 2.5, null, true, ''], empty: {} },
};

describe('exportEvents', () => {
  let dir: string;
  let store: ReadOnlyEventStore;
  let stored: RecordedEvent[];
  const day = (n: number): string => `2025-03-${String(n).padStart(2, '0')}T12:00:00.000Z`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-export-'));
    const file = join(dir, 'store.sqlite');
    // recordedAt is the store's clock: pin it to one day per append to test the window.
    let clockDay = 1;
    const writer = new HashChainedEventStore(new SqliteEventStore(file, { clock: () => new Date(day(clockDay)) }));
    for (let i = 0; i < 10; i++, clockDay++) {
      await writer.appendToStream(`delegation-m-${i % 3}`, [
        { type: 'MandateCheckInRecorded', data: { ...awkward, n: i }, metadata: { eventId: randomUUID(), actor: `p-${i}`, correlationId: `corr,${i}` } },
        { type: 'MandateCheckInRecorded', data: { at: awkward.at, n: i, second: true }, metadata: { eventId: randomUUID() } },
      ]);
    }
    await writer.close();
    store = SqliteEventStore.openReadOnly(file);
    stored = await store.readAll();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(options: Omit<ExportOptions, 'write'>): Promise<string> {
    const chunks: string[] = [];
    await exportEvents(store, { pageSize: 7, ...options, write: (chunk) => void chunks.push(chunk) });
    return chunks.join('');
  }

  it('round-trips every event through NDJSON', async () => {
    const text = await run({ format: 'ndjson' });
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(20);
    const parsed = lines.map((line) => JSON.parse(line) as ExportedEvent);
    expect(parsed).toEqual(stored.map(toExportedEvent));
    expect(parsed[0]).toMatchObject({ streamName: 'delegation-m-0', revision: 0, position: '1', actor: 'p-0', correlationId: 'corr,0', recordedAt: day(1), data: { ...awkward, n: 0 } });
    expect(parsed[1]).toMatchObject({ actor: null, correlationId: null });
    expect(Object.keys(parsed[0]!)).toEqual([...EXPORT_COLUMNS]);
  });

  it('round-trips every event through RFC 4180 CSV, data as quoted JSON', async () => {
    const text = await run({ format: 'csv' });
    expect(text.startsWith(`${EXPORT_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(20);
    const events = rows.map((row) => Object.fromEntries(header!.map((column, index) => [column, row[index]])));
    events.forEach((row, index) => {
      const expected = toExportedEvent(stored[index]!);
      expect(JSON.parse(row['data']!)).toEqual(expected.data);
      expect(JSON.parse(row['metadata']!)).toEqual(expected.metadata);
      expect(row).toEqual({
        ...Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, value === null ? '' : String(value)])),
        data: row['data'],
        metadata: row['metadata'],
      });
    });
    // The data column is quoted even when nothing in it needs quoting.
    expect(text.split('\r\n')[2]).toMatch(/,"\{""at"":/);
  });

  it('exports enough to re-check the hash chain from the file alone', async () => {
    const lines = (await run({ format: 'ndjson' })).trim().split('\n').map((line) => JSON.parse(line) as ExportedEvent);
    for (const line of lines) {
      const integrity = line.metadata['integrity'] as { recordedAt: string };
      const content = { previousHash: line.previousHash, streamName: line.streamName, revision: line.revision, type: line.type, data: line.data, metadata: line.metadata, recordedAt: integrity.recordedAt };
      expect(computeEventHashV2(content)).toBe(line.hash);
    }
  });

  it('keeps only events recorded in [from, to)', async () => {
    const text = await run({ format: 'ndjson', from: day(3), to: '2025-03-06T12:00:00+00:00' });
    const recorded = text.trim().split('\n').map((line) => (JSON.parse(line) as ExportedEvent).recordedAt);
    expect(recorded).toEqual([day(3), day(3), day(4), day(4), day(5), day(5)]);
    const csv = await run({ format: 'csv', from: day(30) });
    expect(csv).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
  });

  it('reports progress and a summary', async () => {
    const seen: number[] = [];
    const summary = await exportEvents(store, { format: 'csv', pageSize: 4, from: day(6), progressIntervalMs: 0, onProgress: (p) => seen.push(p.eventsRead), write: () => undefined });
    expect(summary).toMatchObject({ eventsRead: 20, eventsExported: 10 });
    expect(seen).toEqual([4, 8, 12, 16, 20, 20]);
  });

  it('refuses a malformed window', async () => {
    await expect(run({ format: 'ndjson', from: 'yesterday' })).rejects.toThrow(RangeError);
  });
});
