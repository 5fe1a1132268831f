import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ProblemException } from '@leadership/platform-nest';
import { DIRECTORY_IMPORT_NDJSON_LIMITS, spoolDirectoryImport } from './directory-import.ndjson';

const unit = (id: string, parentId: string | null = null) => JSON.stringify({ kind: 'unit', id, name: id, parentId, managerIds: [] });
const person = (id: string, unitIds = ['claims']) => JSON.stringify({ kind: 'person', id, displayName: `Person ${id}`, email: `${id}@example.test`, locale: 'de-CH', unitIds });
/** A full garbage collection, to measure what is still referenced (the flag can be set at run time; a fresh context then sees `gc`). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const body = (lines: readonly string[]) => Readable.from(lines.map((line) => `${line}\n`));

/** The problem a refused body is answered with. */
async function refusal(run: Promise<unknown>) {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemException);
  return (error as ProblemException).problem;
}

describe('spoolDirectoryImport', () => {
  it('refuses a body with invalid lines as a whole, naming every bad line', async () => {
    const problem = await refusal(
      spoolDirectoryImport(body([unit('claims'), '{"kind":"unit",', JSON.stringify({ ...JSON.parse(person('p1')), extra: 1 }), JSON.stringify({ id: 'p2' }), person('p3'), JSON.stringify({ ...JSON.parse(person('p4')), email: 7 })])),
    );
    expect(problem).toMatchObject({ status: 400, errorCount: 4 });
    expect(problem.errors).toEqual([
      { line: 2, path: '(line)', message: 'not a JSON value' },
      { line: 3, path: '(body)', message: expect.stringContaining('extra') },
      { line: 4, path: 'kind', message: expect.any(String) },
      { line: 6, path: 'email', message: expect.any(String) },
    ]);
    expect(problem.detail).toMatch(/lines 2, 3, 4, 6\); nothing was imported/);
  });

  it('answers 413 naming the line where a count or size limit was passed', async () => {
    expect(await refusal(spoolDirectoryImport(body([unit('a'), unit('b'), unit('c')]), { ...DIRECTORY_IMPORT_NDJSON_LIMITS, maxUnits: 2 }))).toMatchObject({
      status: 413,
      detail: expect.stringMatching(/^Line 3: more than 2 units/),
    });
    expect(await refusal(spoolDirectoryImport(body([person('p1'), person('p2'.repeat(100))]), { ...DIRECTORY_IMPORT_NDJSON_LIMITS, maxLineBytes: 200 }))).toMatchObject({
      status: 413,
      detail: expect.stringMatching(/^Line 2 is longer than 200 bytes/),
    });
  });

  it('spools 200,000 lines (32 MB) holding no more than a batch in memory, and gives them back a chunk at a time with the duplicates of the whole body', async () => {
    const count = 200_000;
    const line = (i: number) => `${person(i === count - 1 ? 'person-0' : `person-${i}`, ['claims', `team-${i % 50}`])}\n`;
    // Live memory after a full collection, sampled as the body is read: what the spool holds on to.
    const retained: number[] = [];
    const sample = () => {
      gc();
      retained.push(process.memoryUsage().heapUsed);
    };
    // Arrives in 64 KiB chunks, as from a socket (not Readable.from, whose iteration holds on to what it yielded).
    let next = 0;
    let bytes = 0;
    const socket = new Readable({
      read() {
        let chunk = next === 0 ? `${unit('claims')}\n` : '';
        while (next < count && chunk.length < 65_536) {
          if (next % 20_000 === 0) sample();
          chunk += line(next++);
        }
        bytes += Buffer.byteLength(chunk);
        this.push(chunk === '' ? null : Buffer.from(chunk));
      },
    });
    const spool = await spoolDirectoryImport(socket);
    try {
      expect(bytes).toBeGreaterThan(30 * 1024 * 1024);
      expect(retained).toHaveLength(10);
      expect(Math.max(...retained) - retained[0]!).toBeLessThan(8 * 1024 * 1024);
      expect(spool.counts).toEqual({ units: 1, people: count });
      expect((await spool.units()).map((row) => row.position)).toEqual([1]);
      let seen = 0;
      let lastLine = 0;
      for await (const chunk of spool.people(500)) {
        expect(chunk.rows.length).toBeLessThanOrEqual(500);
        expect(chunk.rows[0]!.position).toBeGreaterThan(lastLine);
        lastLine = chunk.rows[chunk.rows.length - 1]!.position;
        seen += chunk.rows.length;
        // The first person comes again on the last line: a duplicate no chunk can see alone.
        if (chunk.rows.some((row) => row.value.id === 'person-0')) expect(chunk.duplicates.get('person-0')).toEqual([2, count + 1]);
        else expect(chunk.duplicates.size).toBe(0);
        if (seen % 50_000 === 0) sample();
      }
      expect(seen).toBe(count);
      expect(Math.max(...retained) - retained[0]!).toBeLessThan(8 * 1024 * 1024);
    } finally {
      spool.close();
    }
  }, 120_000);
});
