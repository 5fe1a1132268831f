import type { EventStore } from '@leadership/event-store';
import type { DirectoryImportBatch, ImportRowReport } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { batchImportSource, importDirectoryRows, type ImportRowOutcome, type ImportSummary } from '../directory-import.pipeline';

export interface ImportReport {
  readonly summary: ImportSummary;
  readonly units: readonly Omit<ImportRowReport<unknown>, 'command'>[];
  readonly people: readonly Omit<ImportRowReport<unknown>, 'command'>[];
}

export interface ImportDirectoryInput {
  readonly batch: DirectoryImportBatch;
  /** Rows done so far and in total (bulk imports are long; callers show progress). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Bulk import of a batch in memory (the JSON form, e.g. an HR export): applies the accepted rows, reports every row. */
export class ImportDirectoryHandler implements UseCase<ImportDirectoryInput, ImportReport> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute({ batch, onProgress }: ImportDirectoryInput, context: CommandContext): Promise<ImportReport> {
    const units: Omit<ImportRowReport<unknown>, 'command'>[] = [];
    const people: Omit<ImportRowReport<unknown>, 'command'>[] = [];
    const onRow = ({ kind, ...row }: ImportRowOutcome) => void (kind === 'unit' ? units : people).push(row);
    const summary = await importDirectoryRows(this.store, this.now().toISOString(), batchImportSource(batch), { onRow, ...(onProgress ? { onProgress } : {}) }, context);
    return { summary, units, people };
  }
}
