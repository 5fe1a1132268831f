import type { EventStore } from '@leadership/event-store';
import { personStreamName, type PersonRecord, type Unit } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { eventsIn, givenDirectory, now } from '../../../spec/delegation-world.fixture';
import { IMPORT_PEOPLE_CHUNK, type DirectoryImportSource, type ImportRowOutcome } from '../directory-import.pipeline';
import { ImportDirectoryStreamHandler } from './import-directory-stream.handler';

/** Rows as an NDJSON body would deliver them: line numbers as positions, duplicates over the whole body. */
function linesSource(rows: readonly ({ line: number } & ({ kind: 'unit'; value: Unit } | { kind: 'person'; value: PersonRecord }))[]): DirectoryImportSource {
  const people = rows.flatMap((row) => (row.kind === 'person' ? [{ position: row.line, value: row.value }] : []));
  const linesOf = (id: string) => people.filter((row) => row.value.id === id).map((row) => row.position);
  return {
    label: 'lines',
    counts: { units: rows.length - people.length, people: people.length },
    units: async () => rows.flatMap((row) => (row.kind === 'unit' ? [{ position: row.line, value: row.value }] : [])),
    async *people(size) {
      for (let start = 0; start < people.length; start += size) {
        const chunk = people.slice(start, start + size);
        yield { rows: chunk, duplicates: new Map(chunk.filter((row) => linesOf(row.value.id).length > 1).map((row) => [row.value.id, linesOf(row.value.id)])) };
      }
    },
  };
}

describe('ImportDirectoryStreamHandler', () => {
  let store: EventStore;
  let handler: ImportDirectoryStreamHandler;
  const hr = { actorId: 'hr' };
  const person = (id: string, unitIds = ['motor']): PersonRecord => ({ id, displayName: id, email: `${id}@example.test`, locale: 'en', unitIds });
  // More people than one chunk, an id repeated in the first and the last chunk, people before the unit they join.
  const count = IMPORT_PEOPLE_CHUNK * 2 + 7;
  const body = [
    ...Array.from({ length: count }, (_, i) => ({ line: i + 1, kind: 'person' as const, value: person(i === count - 1 ? 'n-0' : `n-${i}`) })),
    { line: count + 2, kind: 'unit' as const, value: { id: 'motor', name: 'Motor', parentId: 'claims', managerIds: [] } },
  ];

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new ImportDirectoryStreamHandler(store, now);
    await givenDirectory(store);
  });
  afterEach(() => store.close());

  it('applies units first, then people chunk by chunk, reporting each row by its line as it goes', async () => {
    const rows: ImportRowOutcome[] = [];
    const progress: number[] = [];
    const summary = await handler.execute({ source: linesSource(body), onRow: (row) => void rows.push(row), onProgress: (done) => progress.push(done) }, hr);
    expect(summary).toEqual({ created: count - 2 + 1, updated: 0, unchanged: 0, rejected: 2 });
    expect(rows[0]).toEqual({ kind: 'unit', row: count + 2, id: 'motor', outcome: 'created' });
    expect(rows.slice(1).map((row) => row.row)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    // The repeated id is rejected in both chunks, each naming both lines.
    for (const line of [1, count]) {
      expect(rows.find((row) => row.row === line)).toMatchObject({ id: 'n-0', outcome: 'rejected', reason: { rule: 'directory.duplicate-id-in-batch', message: `id "n-0" appears in lines 1, ${count}` } });
    }
    expect(await eventsIn(store, personStreamName('n-0'))).toEqual([]);
    expect(progress).toEqual([0, 1, 1 + IMPORT_PEOPLE_CHUNK, 1 + 2 * IMPORT_PEOPLE_CHUNK, 1 + count]);
  });

  it('changes nothing when the same rows come again', async () => {
    await handler.execute({ source: linesSource(body) }, hr);
    const head = await store.headPosition();
    expect(await handler.execute({ source: linesSource(body) }, hr)).toEqual({ created: 0, updated: 0, unchanged: count - 2 + 1, rejected: 2 });
    expect(await store.headPosition()).toBe(head);
  });

  it('stops between chunks when told to, keeping what it applied', async () => {
    const stop = new AbortController();
    const run = handler.execute({ source: linesSource(body), signal: stop.signal, onRow: (row) => (row.row === IMPORT_PEOPLE_CHUNK ? stop.abort() : undefined) }, hr);
    await expect(run).rejects.toThrow();
    expect(await eventsIn(store, personStreamName(`n-${IMPORT_PEOPLE_CHUNK - 1}`))).toHaveLength(1);
    expect(await eventsIn(store, personStreamName(`n-${IMPORT_PEOPLE_CHUNK}`))).toEqual([]);
  });
});
