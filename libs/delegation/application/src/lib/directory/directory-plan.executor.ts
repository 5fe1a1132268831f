import { handleCommand, readAggregate, type AggregateReader, type EventStore, type ReadOnlyEventStore } from '@leadership/event-store';
import {
  personDecider,
  personStreamName,
  unitDecider,
  unitStreamName,
  type DirectoryImportBatch,
  type DirectoryImportPlan,
  type DirectorySnapshot,
  type PersonRecord,
  type Unit,
} from '@leadership/delegation-domain';
import { metadataFor, type CommandContext, type DomainEvent } from '@leadership/kernel';

/** The directory a plan is made on, and the revision of each stream read (keyed `unit-<id>` / `person-<id>`; -1: no stream). */
export interface VersionedDirectory extends DirectorySnapshot {
  readonly revisions: ReadonlyMap<string, number>;
}

/** Streams read at once: enough to overlap round trips to EventStoreDB, few enough not to flood it. */
const READ_LANES = 64;

async function inSlices<T>(items: readonly T[], task: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += READ_LANES) await Promise.all(items.slice(i, i + READ_LANES).map(task));
}

/**
 * The part of the directory that a batch's plan needs, folded from those streams of the event
 * store (not a read model, so parent and membership checks never see stale data) — never the whole
 * directory (issue #11: each PUT folded every unit and person event ever written):
 * - each unit of the batch, and every unit above the parent it names, as the store has them now
 *   (the planner's parent and cycle checks walk up from the new parent; a walk that enters another
 *   unit of the batch continues from that unit's new parent, whose chain is read too);
 * - each person of the batch, and each unit they are to be a member of.
 * Work and memory grow with the batch and the depth of the tree, not with the history.
 */
export async function readDirectoryFor(store: Pick<ReadOnlyEventStore, 'readStream'>, batch: DirectoryImportBatch): Promise<VersionedDirectory> {
  const revisions = new Map<string, number>();
  // Each stream is read once per call, however many rows name it.
  const reader = <E extends DomainEvent, S>(decider: AggregateReader<E, S>, streamOf: (id: string) => string) => {
    const reads = new Map<string, Promise<S>>();
    const read = (id: string): Promise<S> => {
      let state = reads.get(id);
      if (!state) {
        const stream = streamOf(id);
        state = readAggregate(store, decider, stream).then(({ state: folded, revision }) => (revisions.set(stream, revision), folded));
        reads.set(id, state);
      }
      return state;
    };
    return { read, all: () => Promise.all(reads.values()) };
  };
  const units = reader(unitDecider, unitStreamName);
  const people = reader(personDecider, personStreamName);
  const unit = units.read;
  const person = people.read;
  // Chains already walked: a second unit under the same parent costs no reads.
  const walked = new Set<string>();
  const ancestorsOf = async (parentId: string | null): Promise<void> => {
    for (let next = parentId; next !== null && !walked.has(next); ) {
      walked.add(next);
      const state = await unit(next);
      next = state.status === 'registered' ? state.unit.parentId : null;
    }
  };
  await inSlices(batch.units ?? [], async (row: Unit) => Promise.all([unit(row.id), ancestorsOf(row.parentId)]));
  await inSlices(batch.people ?? [], async (row: PersonRecord) => Promise.all([person(row.id), ...row.unitIds.map(unit)]));
  return {
    units: (await units.all()).flatMap((s) => (s.status === 'registered' ? [s.unit] : [])),
    people: (await people.all()).flatMap((s) => (s.status === 'registered' ? [s.person] : [])),
    revisions,
  };
}

/**
 * Sends the plan's upserts, each through the event store's `handleCommand` (which re-checks the
 * row against its stream as it is now, so a concurrent change is not overwritten). Returns the
 * revision each changed stream reached, by stream name.
 */
export async function executeDirectoryPlan(store: EventStore, plan: DirectoryImportPlan, context: CommandContext): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  for (const row of plan.units) {
    if (!row.command) continue;
    const stream = unitStreamName(row.id);
    const result = await handleCommand(store, stream, unitDecider, row.command, { metadata: metadataFor(context, stream) });
    versions.set(stream, Number(result.nextExpectedRevision));
  }
  for (const row of plan.people) {
    if (!row.command) continue;
    const stream = personStreamName(row.id);
    const result = await handleCommand(store, stream, personDecider, row.command, { metadata: metadataFor(context, stream) });
    versions.set(stream, Number(result.nextExpectedRevision));
  }
  return versions;
}
