import { evolveRecorded, handleCommand, type EventStore } from '@leadership/event-store';
import {
  personDecider,
  personStreamName,
  unitDecider,
  unitStreamName,
  PERSON_STREAM_CATEGORY,
  UNIT_STREAM_CATEGORY,
  type DirectoryImportPlan,
  type DirectorySnapshot,
  type PersonState,
  type UnitState,
} from '@leadership/delegation-domain';
import { categoryOf, idOf, metadataFor, type CommandContext } from '@leadership/kernel';

/** The current directory and the revision of each unit's and person's stream (keyed `unit-<id>` / `person-<id>`). */
export interface VersionedDirectory extends DirectorySnapshot {
  readonly revisions: ReadonlyMap<string, number>;
}

const PAGE = 1000;

/**
 * The whole directory, folded from the event store (not a read model) so parent and membership
 * checks never see stale data; the directory is small compared with the event volume of mandates.
 * Each stream is folded with its own decider through the one `evolveRecorded`.
 */
export async function readDirectory(store: EventStore): Promise<VersionedDirectory> {
  const units = new Map<string, UnitState>();
  const people = new Map<string, PersonState>();
  const revisions = new Map<string, number>();
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({
      ...(after !== undefined ? { after } : {}),
      maxCount: PAGE,
      filter: { streamCategories: [UNIT_STREAM_CATEGORY, PERSON_STREAM_CATEGORY] },
    });
    for (const e of page) {
      revisions.set(e.streamName, e.revision);
      const id = idOf(e.streamName);
      if (categoryOf(e.streamName) === UNIT_STREAM_CATEGORY) units.set(id, evolveRecorded(unitDecider, units.get(id) ?? unitDecider.initialState(), e));
      else people.set(id, evolveRecorded(personDecider, people.get(id) ?? personDecider.initialState(), e));
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.position;
  }
  return {
    units: [...units.values()].flatMap((s) => (s.status === 'registered' ? [s.unit] : [])),
    people: [...people.values()].flatMap((s) => (s.status === 'registered' ? [s.person] : [])),
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
