import type { ReadOnlyEventStore } from '@leadership/event-store';
import type { ProjectedReadModel } from './projected-read-model';
import type { ProjectionBookkeeping } from './projection-bookkeeping';
import { ResilientApply, type ProjectionLogger, type RetryPolicy } from './resilient-apply';

/** Progress of a rebuild, reported after every page. */
export interface RebuildProgress {
  /** Events of the read model's categories read so far. */
  readonly events: number;
  readonly position: bigint;
  /** The store's head when the rebuild started: it replays up to there. */
  readonly head: bigint | undefined;
}

export interface RebuildReport {
  readonly events: number;
  readonly applied: number;
  readonly parked: number;
  readonly head: bigint | undefined;
}

export interface RebuildOptions extends RetryPolicy {
  readonly bookkeeping: ProjectionBookkeeping;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Events read per page [1000]. */
  readonly pageSize?: number;
  readonly logger?: ProjectionLogger;
}

/**
 * Rebuilds a read model from the event store: deletes its documents, parked events and
 * checkpoint, replays every event of its categories up to the head at the start (with the
 * projector's retry and poison rule), then records the head as the checkpoint so a projector
 * started on it resumes from there. Events appended meanwhile are the live projector's (a
 * redelivered one is skipped by the revision guard). Stop the service's projector first: two
 * writers resetting and filling one database would interleave.
 */
export async function rebuildProjection(store: ReadOnlyEventStore, readModel: ProjectedReadModel, options: RebuildOptions): Promise<RebuildReport> {
  const { bookkeeping } = options;
  await Promise.all([readModel.init(), bookkeeping.init()]);
  await readModel.reset();
  await bookkeeping.clearParked(readModel.name);
  await bookkeeping.clearCheckpoint(readModel.name);
  const logger = options.logger;
  const step = new ResilientApply(readModel, bookkeeping, options, {
    onFailure: (error, event, attempt, databaseAnswers) =>
      logger?.warn('rebuild: apply failed; retrying', { projection: readModel.name, position: event.position.toString(), attempt, databaseAnswers, error: error.message }),
    onRecovered: () => undefined,
    onParked: (event, reason) => logger?.error('rebuild: parked a poison event', { projection: readModel.name, position: event.position.toString(), stream: event.streamName, error: reason }),
  });
  await step.load();
  const head = await store.headPosition();
  const pageSize = options.pageSize ?? 1000;
  let after: bigint | undefined;
  let events = 0;
  let applied = 0;
  let parked = 0;
  while (head !== undefined) {
    const page = await store.readAll({ ...(after !== undefined ? { after } : {}), maxCount: pageSize, filter: { streamCategories: [...readModel.categories] } });
    const upToHead = page.filter((event) => event.position <= head);
    // A read model with applyBatch takes the page at once; otherwise its events one by one.
    const outcomes = await step.applyPage(upToHead);
    events += upToHead.length;
    applied += outcomes.filter((outcome) => outcome === 'applied').length;
    parked += outcomes.filter((outcome) => outcome === 'parked').length;
    const last = upToHead[upToHead.length - 1];
    if (last) after = last.position;
    if (after !== undefined) options.onProgress?.({ events, position: after, head });
    if (page.length < pageSize || (after !== undefined && after >= head) || page.some((e) => e.position > head)) break;
  }
  // Everything up to the head at the start is applied (other categories are not the read model's).
  if (head !== undefined) await bookkeeping.saveCheckpoint(readModel.name, { position: head, version: readModel.version });
  return { events, applied, parked, head };
}
