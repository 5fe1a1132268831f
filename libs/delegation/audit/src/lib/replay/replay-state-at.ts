import {
  evolveMandate,
  isIsoInstant,
  MANDATE_STREAM_CATEGORY,
  PERSON_STREAM_CATEGORY,
  personDecider,
  TASK_TYPE_STREAM_CATEGORY,
  taskTypeDecider,
  toMillis,
  UNIT_STREAM_CATEGORY,
  unitDecider,
  type MandateEvent,
  type MandateEventType,
  type MandateSnapshot,
  type MandateState,
  type Person,
  type PersonEvent,
  type PersonState,
  type TaskTypeDefinition,
  type TaskTypeEvent,
  type TaskTypeState,
  type Unit,
  type UnitEvent,
  type UnitState,
} from '@leadership/delegation-domain';
import { categoryOf, type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';
import { scanAll, type ScanOptions } from '../shared/read-all-pages';
import type { ScanProgress } from '../shared/scan-progress';

/** Options of {@link replayStateAt}. */
export interface ReplayOptions extends ScanOptions {
  /**
   * Keep only mandates whose scope unit is this one. The directory and the catalogue are always
   * replayed whole: they are small, and formal managers are inherited from ancestor units.
   */
  readonly unitId?: string;
}

/** Counters of a replay; `skipped*` should be 0 on a healthy store. */
export interface ReplayStats {
  /** Every event read from $all, whatever its category. */
  readonly eventsRead: number;
  /** Events folded into the state. */
  readonly eventsApplied: number;
  /** Events of a replayed category whose type this code does not know (a newer writer?). */
  readonly skippedUnknownType: number;
  /** Events of a replayed category without a valid `data.at` instant. */
  readonly skippedWithoutTime: number;
  /** Position of the last event read; undefined for an empty store. */
  readonly position: bigint | undefined;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

/** The delegation context as it was at one instant of domain time. */
export interface ReplayedState {
  /** The instant, normalised to UTC ISO-8601. */
  readonly at: string;
  /** Mandates that existed (had been proposed) by `at`; `version` is the revision of the last event applied. */
  readonly mandates: Map<string, MandateSnapshot>;
  readonly units: Map<string, Unit>;
  readonly people: Map<string, Person>;
  readonly taskTypes: Map<string, TaskTypeDefinition>;
  readonly stats: ReplayStats;
}

/*
 * Every event type the folds understand, per stream category. Records keyed by the domain's event
 * type unions: an event type added to the domain fails compilation here until replay knows it.
 */
const MANDATE_TYPES: Record<MandateEventType, true> = {
  MandateProposed: true,
  MandateAccepted: true,
  MandateDeclined: true,
  MandateActivated: true,
  MandateAmended: true,
  MandateExpansionProposed: true,
  MandateExpansionWithdrawn: true,
  MandateExpansionAccepted: true,
  MandateExpansionDeclined: true,
  MandateExtended: true,
  MandateSuspended: true,
  MandateResumed: true,
  MandateRevoked: true,
  MandateRelinquished: true,
  MandateExpired: true,
  MandateCompleted: true,
  MandateCheckInRecorded: true,
  MandateFlaggedForReconfirmation: true,
  MandateConfirmed: true,
};
const UNIT_TYPES: Record<UnitEvent['type'], true> = { UnitRegistered: true, UnitChanged: true, UnitManagersChanged: true };
const PERSON_TYPES: Record<PersonEvent['type'], true> = { PersonRegistered: true, PersonChanged: true };
const TASK_TYPE_TYPES: Record<TaskTypeEvent['type'], true> = { TaskTypeDefined: true, TaskTypeChanged: true };

const KNOWN_TYPES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [MANDATE_STREAM_CATEGORY, new Set(Object.keys(MANDATE_TYPES))],
  [UNIT_STREAM_CATEGORY, new Set(Object.keys(UNIT_TYPES))],
  [PERSON_STREAM_CATEGORY, new Set(Object.keys(PERSON_TYPES))],
  [TASK_TYPE_STREAM_CATEGORY, new Set(Object.keys(TASK_TYPE_TYPES))],
]);

/** One stream's fold. `closed` once an event later than `at` was seen: states are stream prefixes. */
interface StreamFold<State> {
  state: State;
  version: number;
  closed: boolean;
}

/**
 * The state of mandates, units, people and task types as of `at` (domain time), from one pass
 * over $all. Semantics are those of the domain's `mandatesAsOf`: each stream is folded in
 * revision order up to (not including) its first event whose `data.at` is after `at`; that event
 * and everything after it in the stream are left out, so a state is always one the stream really
 * went through, even if a writer's clock stepped back. Uses the domain's evolve functions.
 *
 * Memory is one state per stream (plus a page of events); the events themselves are not kept.
 */
export async function replayStateAt(store: ReadOnlyEventStore, at: string, options: ReplayOptions = {}): Promise<ReplayedState> {
  if (!isIsoInstant(at)) throw new RangeError(`replay instant must be an ISO-8601 date-time with offset, got "${at}"`);
  const asOf = toMillis(at);
  const folds = {
    mandates: new Map<string, StreamFold<MandateState>>(),
    units: new Map<string, StreamFold<UnitState>>(),
    people: new Map<string, StreamFold<PersonState>>(),
    taskTypes: new Map<string, StreamFold<TaskTypeState>>(),
  };
  /** Mandate streams left out by the unit filter (decided on their first event, which names the scope). */
  const excluded = new Set<string>();
  let eventsApplied = 0;
  let skippedUnknownType = 0;
  let skippedWithoutTime = 0;

  const foldInto = <State, Event>(
    streams: Map<string, StreamFold<State>>,
    event: RecordedEvent,
    initial: () => State,
    evolve: (state: State, event: Event) => State,
  ): void => {
    let fold = streams.get(event.streamName);
    if (fold === undefined) {
      fold = { state: initial(), version: -1, closed: false };
      streams.set(event.streamName, fold);
    }
    if (fold.closed) return;
    const time = timeOf(event.data);
    if (time === undefined) {
      skippedWithoutTime++;
      return;
    }
    if (time > asOf) {
      fold.closed = true;
      return;
    }
    fold.state = evolve(fold.state, { type: event.type, data: event.data } as Event);
    fold.version = event.revision;
    eventsApplied++;
  };

  const progress = await scanAll(store, options, (events) => {
    for (const event of events) {
      const category = categoryOf(event.streamName);
      const known = KNOWN_TYPES.get(category);
      if (known === undefined) continue;
      if (!known.has(event.type)) {
        skippedUnknownType++;
        continue;
      }
      switch (category) {
        case MANDATE_STREAM_CATEGORY:
          if (options.unitId !== undefined && !inUnit(event, options.unitId, excluded)) continue;
          foldInto<MandateState, MandateEvent>(folds.mandates, event, () => ({ status: 'none' }), evolveMandate);
          break;
        case UNIT_STREAM_CATEGORY:
          foldInto<UnitState, UnitEvent>(folds.units, event, unitDecider.initialState, unitDecider.evolve);
          break;
        case PERSON_STREAM_CATEGORY:
          foldInto<PersonState, PersonEvent>(folds.people, event, personDecider.initialState, personDecider.evolve);
          break;
        case TASK_TYPE_STREAM_CATEGORY:
          foldInto<TaskTypeState, TaskTypeEvent>(folds.taskTypes, event, taskTypeDecider.initialState, taskTypeDecider.evolve);
          break;
      }
    }
  });

  return {
    at: new Date(asOf).toISOString(),
    mandates: collect(folds.mandates, (fold) => (fold.state.status === 'none' ? undefined : [fold.state.mandateId, { ...fold.state, version: fold.version }])),
    units: collect(folds.units, (fold) => (fold.state.status === 'registered' ? [fold.state.unit.id, fold.state.unit] : undefined)),
    people: collect(folds.people, (fold) => (fold.state.status === 'registered' ? [fold.state.person.id, fold.state.person] : undefined)),
    taskTypes: collect(folds.taskTypes, (fold) => (fold.state.status === 'defined' ? [fold.state.definition.key, fold.state.definition] : undefined)),
    stats: statsOf(progress, eventsApplied, skippedUnknownType, skippedWithoutTime),
  };
}

/**
 * Domain time of an event in ms, or undefined when `data.at` is missing or malformed. Date.parse
 * alone would accept forms without an offset (read as local time), so the strict check runs too.
 */
function timeOf(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const at = (data as { readonly at?: unknown }).at;
  return isIsoInstant(at) ? toMillis(at) : undefined;
}

function inUnit(event: RecordedEvent, unitId: string, excluded: Set<string>): boolean {
  if (excluded.has(event.streamName)) return false;
  if (event.type !== 'MandateProposed') return true;
  const scope = (event.data as { readonly scope?: { readonly unitId?: unknown } }).scope;
  if (scope?.unitId === unitId) return true;
  excluded.add(event.streamName);
  return false;
}

function collect<State, Value>(
  streams: Map<string, StreamFold<State>>,
  entry: (fold: StreamFold<State>) => readonly [string, Value] | undefined,
): Map<string, Value> {
  const result = new Map<string, Value>();
  for (const fold of streams.values()) {
    const pair = entry(fold);
    if (pair !== undefined) result.set(pair[0], pair[1]);
  }
  return result;
}

function statsOf(progress: ScanProgress, eventsApplied: number, skippedUnknownType: number, skippedWithoutTime: number): ReplayStats {
  return {
    eventsRead: progress.eventsRead,
    eventsApplied,
    skippedUnknownType,
    skippedWithoutTime,
    position: progress.position,
    elapsedMs: progress.elapsedMs,
    eventsPerSecond: progress.eventsPerSecond,
  };
}
