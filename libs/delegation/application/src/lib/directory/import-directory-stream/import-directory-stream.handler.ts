import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { importDirectoryRows, type DirectoryImportSource, type ImportRowsOptions, type ImportSummary } from '../directory-import.pipeline';

export interface ImportDirectoryStreamInput extends ImportRowsOptions {
  /** The rows, read a part at a time (e.g. an NDJSON body spooled to disk). */
  readonly source: DirectoryImportSource;
}

/**
 * Bulk import of any size (the NDJSON form): the rows come from a source a chunk at a time and
 * each row's outcome goes out as soon as it is applied, so memory stays flat however many rows
 * there are. Same rules and outcomes as the batch import.
 */
export class ImportDirectoryStreamHandler implements UseCase<ImportDirectoryStreamInput, ImportSummary> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  execute({ source, ...options }: ImportDirectoryStreamInput, context: CommandContext): Promise<ImportSummary> {
    return importDirectoryRows(this.store, this.now().toISOString(), source, options, context);
  }
}
