import type { EventStore } from '@leadership/event-store';
import { planDirectoryImport, type DirectoryImportBatch, type ImportOutcome, type ImportRowReport, type PersonRecord, type Unit } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import { executeDirectoryPlan, readDirectoryFor } from './directory-plan.executor';

/** One row of an import as its source delivers it. */
export interface ImportSourceRow<T> {
  /** Where it stands in the import: its index in its list (JSON), its line (NDJSON). */
  readonly position: number;
  readonly value: T;
}

/** A part of the person rows, and the ids among them that occur more than once in the whole import. */
export interface ImportPeopleChunk {
  readonly rows: readonly ImportSourceRow<PersonRecord>[];
  /** Positions of every row of each such id, also of rows outside this chunk. */
  readonly duplicates: ReadonlyMap<string, readonly number[]>;
}

/**
 * The rows of one import, read a part at a time: a batch in memory, or an NDJSON body spooled to
 * disk (libs/delegation/infrastructure), so that no more than one chunk of people is in memory.
 */
export interface DirectoryImportSource {
  /** What positions are: `rows` (indexes in a list) or `lines` (of an NDJSON body). */
  readonly label: 'rows' | 'lines';
  /** Rows of each kind, known before the first is applied (progress). */
  readonly counts: { readonly units: number; readonly people: number };
  /** Every unit row, in order: units are planned together (parents and cycles span rows); the source bounds their number. */
  units(): Promise<readonly ImportSourceRow<Unit>[]>;
  /** The person rows, at most `size` at a time, in order. */
  people(size: number): AsyncIterable<ImportPeopleChunk>;
}

/** What happened to one row, as reported while the import runs. */
export type ImportRowOutcome = Omit<ImportRowReport<unknown>, 'command'> & { readonly kind: 'unit' | 'person' };

export type ImportSummary = Readonly<Record<ImportOutcome, number>>;

export interface ImportRowsOptions {
  /** Told of each row once it is applied (units first, then people in order); awaited, so a slow reader slows the import down. */
  readonly onRow?: (row: ImportRowOutcome) => void | Promise<void>;
  /** Rows done so far and in total (bulk imports are long; callers show progress). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the import between chunks (e.g. the client went away); rows applied so far stay applied. */
  readonly signal?: AbortSignal;
}

/** People planned and applied at once: enough to amortise the plan, few enough to keep memory flat. */
export const IMPORT_PEOPLE_CHUNK = 500;

/**
 * The one import pipeline: the units of the import are planned together and applied, then the
 * people a chunk at a time, each chunk planned on the streams it touches as they are after the
 * units (so people may join units of the same import) and applied. Rows are independent: a
 * rejected row (with the rule and what to fix) does not stop the others; an id that occurs twice
 * anywhere in the import rejects all its rows. Re-importing the same rows changes nothing
 * (`unchanged`, no events).
 */
export async function importDirectoryRows(
  store: EventStore,
  at: string,
  source: DirectoryImportSource,
  options: ImportRowsOptions,
  context: CommandContext,
): Promise<ImportSummary> {
  const summary: Record<ImportOutcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const total = source.counts.units + source.counts.people;
  let done = 0;
  options.onProgress?.(done, total);
  const apply = async (kind: ImportRowOutcome['kind'], batch: DirectoryImportBatch, plan: Parameters<typeof planDirectoryImport>[2]) => {
    options.signal?.throwIfAborted();
    const planned = planDirectoryImport(await readDirectoryFor(store, batch), batch, plan);
    await executeDirectoryPlan(store, planned, context);
    for (const { command: _command, ...row } of kind === 'unit' ? planned.units : planned.people) {
      summary[row.outcome] += 1;
      await options.onRow?.({ kind, ...row });
    }
    done += (batch.units?.length ?? 0) + (batch.people?.length ?? 0);
    options.onProgress?.(done, total);
  };
  const base = { actorId: context.actorId, at };
  const units = await source.units();
  if (units.length > 0) {
    await apply('unit', { units: units.map((row) => row.value) }, { ...base, positions: { units: units.map((row) => row.position), label: source.label } });
  }
  for await (const chunk of source.people(IMPORT_PEOPLE_CHUNK)) {
    await apply(
      'person',
      { people: chunk.rows.map((row) => row.value) },
      { ...base, positions: { people: chunk.rows.map((row) => row.position), label: source.label }, duplicates: { people: chunk.duplicates } },
    );
  }
  return summary;
}

/** A batch in memory (the JSON form of the import) as an import source; positions are indexes in their list. */
export function batchImportSource(batch: DirectoryImportBatch): DirectoryImportSource {
  const units = batch.units ?? [];
  const people = batch.people ?? [];
  const indexesById = new Map<string, number[]>();
  people.forEach((person, index) => indexesById.set(person.id, [...(indexesById.get(person.id) ?? []), index]));
  const duplicates = new Map([...indexesById].filter(([, indexes]) => indexes.length > 1));
  return {
    label: 'rows',
    counts: { units: units.length, people: people.length },
    units: async () => units.map((value, position) => ({ position, value })),
    async *people(size) {
      for (let start = 0; start < people.length; start += size) {
        const rows = people.slice(start, start + size).map((value, offset) => ({ position: start + offset, value }));
        yield { rows, duplicates: new Map(rows.flatMap(({ value }) => (duplicates.has(value.id) ? [[value.id, duplicates.get(value.id) ?? []] as const] : []))) };
      }
    },
  };
}
