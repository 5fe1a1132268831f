import type { EventStore } from '@leadership/event-store';
import { planDirectoryImport, type DirectoryImportBatch, type DirectoryImportPlan, type ImportRowReport } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { executeDirectoryPlan, readDirectoryFor } from '../directory-plan.executor';

export interface ImportReport {
  readonly summary: DirectoryImportPlan['summary'];
  readonly units: readonly Omit<ImportRowReport<unknown>, 'command'>[];
  readonly people: readonly Omit<ImportRowReport<unknown>, 'command'>[];
}

export interface ImportDirectoryInput {
  readonly batch: DirectoryImportBatch;
  /** Rows done so far and in total (bulk imports are long; callers show progress). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Bulk import (e.g. an HR export): plans the whole batch, applies the accepted rows, reports every row. */
export class ImportDirectoryHandler implements UseCase<ImportDirectoryInput, ImportReport> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute({ batch, onProgress }: ImportDirectoryInput, context: CommandContext): Promise<ImportReport> {
    const plan = planDirectoryImport(await readDirectoryFor(this.store, batch), batch, { actorId: context.actorId, at: this.now().toISOString() });
    const total = plan.units.length + plan.people.length;
    onProgress?.(0, total);
    await executeDirectoryPlan(this.store, plan, context);
    onProgress?.(total, total);
    const strip = ({ command: _command, ...row }: ImportRowReport<unknown>) => row;
    return { summary: plan.summary, units: plan.units.map(strip), people: plan.people.map(strip) };
  }
}
