import { instantMillis, scanAll, type ScanOptions, type ScanProgress } from '@leadership/audit';
import {
  isIsoInstant,
  MANDATE_STREAM_CATEGORY,
  mandateDecider,
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
import { evolveRecorded, type AggregateReader, type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';
import { categoryOf, type DomainEvent } from '@leadership/kernel';

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
const PERSON_TYPES: Record<PersonEvent['type'], true> = { PersonRegistered: true, PersonChanged: true, PersonAbsencesChanged: true };
const TASK_TYPE_TYPES: Record<TaskTypeEvent['type'], true> = { TaskTypeDefined: true, TaskTypeChanged: true };

/**
 * How one category of streams is folded: the domain's decider is the stream's
 * {@link AggregateReader}, and every event goes through `evolveRecorded`, the one fold of stored
 * events (where upcasters live), so replay and the service cannot read an event differently.
 */
interface FoldKind<Event extends DomainEvent, State> {
  /** The event types the decider knows; others are counted and skipped (the evolve functions would throw on them). */
  readonly types: ReadonlySet<string>;
  readonly reader: AggregateReader<Event, State>;
}

const MANDATE_FOLD: FoldKind<MandateEvent, MandateState> = { types: new Set(Object.keys(MANDATE_TYPES)), reader: mandateDecider };
const UNIT_FOLD: FoldKind<UnitEvent, UnitState> = { types: new Set(Object.keys(UNIT_TYPES)), reader: unitDecider };
const PERSON_FOLD: FoldKind<PersonEvent, PersonState> = { types: new Set(Object.keys(PERSON_TYPES)), reader: personDecider };
const TASK_TYPE_FOLD: FoldKind<TaskTypeEvent, TaskTypeState> = { types: new Set(Object.keys(TASK_TYPE_TYPES)), reader: taskTypeDecider };

/** One stream's fold. `closed` once an event later than `at` was seen: states are stream prefixes. */
class StreamFold<Event extends DomainEvent, State> {
  state: State;
  version = -1;
  closed = false;

  constructor(readonly kind: FoldKind<Event, State>) {
    this.state = kind.reader.initialState();
  }

  apply(event: RecordedEvent): void {
    this.state = evolveRecorded(this.kind.reader, this.state, event);
    this.version = event.revision;
  }
}

type AnyStreamFold = StreamFold<MandateEvent, MandateState> | StreamFold<UnitEvent, UnitState> | StreamFold<PersonEvent, PersonState> | StreamFold<TaskTypeEvent, TaskTypeState>;

/** The folds of one replay, per category; `byStream` is the one lookup made per event. */
class Folds {
  /** null: a stream that is not replayed (another category, or left out by the unit filter). */
  readonly byStream = new Map<string, AnyStreamFold | null>();
  readonly mandates: StreamFold<MandateEvent, MandateState>[] = [];
  readonly units: StreamFold<UnitEvent, UnitState>[] = [];
  readonly people: StreamFold<PersonEvent, PersonState>[] = [];
  readonly taskTypes: StreamFold<TaskTypeEvent, TaskTypeState>[] = [];

  constructor(private readonly unitId: string | undefined) {}

  /** Creates the fold of a stream on its first event (which, for a mandate, names the scope). */
  open(event: RecordedEvent): AnyStreamFold | null {
    let fold: AnyStreamFold | null = null;
    switch (categoryOf(event.streamName)) {
      case MANDATE_STREAM_CATEGORY:
        if (this.unitId === undefined || !isProposalOutside(event, this.unitId)) this.mandates.push((fold = new StreamFold(MANDATE_FOLD)));
        break;
      case UNIT_STREAM_CATEGORY:
        this.units.push((fold = new StreamFold(UNIT_FOLD)));
        break;
      case PERSON_STREAM_CATEGORY:
        this.people.push((fold = new StreamFold(PERSON_FOLD)));
        break;
      case TASK_TYPE_STREAM_CATEGORY:
        this.taskTypes.push((fold = new StreamFold(TASK_TYPE_FOLD)));
        break;
    }
    this.byStream.set(event.streamName, fold);
    return fold;
  }
}

/**
 * The state of mandates, units, people and task types as of `at` (domain time), from one pass
 * over $all. Semantics are those of the domain's `mandatesAsOf`: each stream is folded in
 * revision order up to (not including) its first event whose `data.at` is after `at`; that event
 * and everything after it in the stream are left out, so a state is always one the stream really
 * went through, even if a writer's clock stepped back. Folds through `evolveRecorded` with the
 * domain's deciders.
 *
 * Memory is one state per stream (plus a page of events); the events themselves are not kept.
 */
export async function replayStateAt(store: ReadOnlyEventStore, at: string, options: ReplayOptions = {}): Promise<ReplayedState> {
  if (!isIsoInstant(at)) throw new RangeError(`replay instant must be an ISO-8601 date-time with offset, got "${at}"`);
  const asOf = toMillis(at);
  const folds = new Folds(options.unitId);
  let eventsApplied = 0;
  let skippedUnknownType = 0;
  let skippedWithoutTime = 0;

  // Events of one stream often come in runs (a batch is appended as one run of $all): the fold of
  // the previous event is reused without a map lookup while the stream name stays the same.
  let lastStream: string | undefined;
  let lastFold: AnyStreamFold | null = null;
  const progress = await scanAll(store, options, (events) => {
    for (const event of events) {
      let fold: AnyStreamFold | null;
      if (event.streamName === lastStream) fold = lastFold;
      else {
        const known = folds.byStream.get(event.streamName);
        fold = known === undefined ? folds.open(event) : known;
        lastStream = event.streamName;
        lastFold = fold;
      }
      if (fold === null || fold.closed) continue;
      if (!fold.kind.types.has(event.type)) {
        skippedUnknownType++;
        continue;
      }
      const time = timeOf(event.data);
      if (time === undefined) {
        skippedWithoutTime++;
        continue;
      }
      if (time > asOf) {
        fold.closed = true;
        continue;
      }
      fold.apply(event);
      eventsApplied++;
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

/** Domain time of an event in ms, or undefined when `data.at` is missing or not an ISO-8601 instant with offset. */
function timeOf(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  return instantMillis((data as { readonly at?: unknown }).at);
}

/** A mandate's first event names its scope; the unit filter decides on it once per stream. */
function isProposalOutside(event: RecordedEvent, unitId: string): boolean {
  if (event.type !== 'MandateProposed') return false;
  const scope = (event.data as { readonly scope?: { readonly unitId?: unknown } }).scope;
  return scope?.unitId !== unitId;
}

function collect<Event extends DomainEvent, State, Value>(
  streams: readonly StreamFold<Event, State>[],
  entry: (fold: StreamFold<Event, State>) => readonly [string, Value] | undefined,
): Map<string, Value> {
  const result = new Map<string, Value>();
  for (const fold of streams) {
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
