import type { EventStore } from '@leadership/event-store';
import { personStreamName, planDirectoryImport, unitStreamName, type DirectoryImportBatch } from '@leadership/delegation-domain';
import { DomainRuleError, type CommandContext } from '@leadership/kernel';
import { executeDirectoryPlan, readDirectoryFor } from './directory-plan.executor';

/** A rejected single upsert: the planner's rule and message. */
export class DirectoryRowRejectedError extends DomainRuleError {
  override readonly name = 'DirectoryRowRejectedError';
}

export interface UpsertResult<T> {
  readonly outcome: 'created' | 'updated' | 'unchanged';
  readonly version: number;
  readonly value: T;
}

/** One unit or person through the import planner, so single upserts follow exactly the bulk rules. */
export async function upsertOne<T>(
  store: EventStore,
  kind: 'unit' | 'person',
  batch: DirectoryImportBatch,
  id: string,
  value: T,
  at: string,
  context: CommandContext,
): Promise<UpsertResult<T>> {
  const directory = await readDirectoryFor(store, batch);
  const plan = planDirectoryImport(directory, batch, { actorId: context.actorId, at });
  const row = (kind === 'unit' ? plan.units : plan.people)[0];
  if (!row) throw new Error('planner returned no row');
  if (row.outcome === 'rejected') throw new DirectoryRowRejectedError(row.reason?.rule ?? 'directory.rejected', row.reason?.message ?? 'rejected');
  const stream = kind === 'unit' ? unitStreamName(id) : personStreamName(id);
  // An unchanged row appends nothing: its version is the one read with the directory.
  const version = (await executeDirectoryPlan(store, plan, context)).get(stream) ?? directory.revisions.get(stream) ?? 0;
  return { outcome: row.outcome, version, value };
}
