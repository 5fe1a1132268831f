import type { EventStore, RecordedEvent } from '@leadership/event-store';
import {
  DEFAULT_TASK_TYPES,
  evolveMandate,
  mandateStreamName,
  personDecider,
  personStreamName,
  taskTypeDecider,
  taskTypeStreamName,
  unitDecider,
  unitStreamName,
  type MandateEvent,
  type MandateState,
  type Person,
  type PersonEvent,
  type TaskTypeDefinition,
  type TaskTypeEvent,
  type Unit,
  type UnitEvent,
} from '@leadership/delegation-domain';

const asEvent = <E>(e: RecordedEvent) => ({ type: e.type, data: e.data }) as E;

/** Revision of a stream's last event, or -1 for an empty stream. */
export interface Versioned<T> {
  readonly value: T;
  readonly revision: number;
}

/**
 * Facts the mandate rules need, read from the event store itself (not from projections), so a
 * command never decides on a stale read model: who manages which unit, who belongs where, the
 * task type, a mandate's current state. Each is a short stream.
 */
export class DelegationFacts {
  constructor(private readonly store: EventStore) {}

  async unit(unitId: string): Promise<Unit | undefined> {
    const events = await this.store.readStream(unitStreamName(unitId));
    const state = events.reduce((s, e) => unitDecider.evolve(s, asEvent<UnitEvent>(e)), unitDecider.initialState());
    return state.status === 'registered' ? state.unit : undefined;
  }

  /** The unit and its ancestors, nearest first (stops at unknown units and loops). */
  async unitChain(unitId: string): Promise<Unit[]> {
    const chain: Unit[] = [];
    let next: string | null = unitId;
    while (next !== null && !chain.some((u) => u.id === next)) {
      const unit = await this.unit(next);
      if (!unit) break;
      chain.push(unit);
      next = unit.parentId;
    }
    return chain;
  }

  /** Formal manager of the unit or of a unit above it. */
  async managesUnit(personId: string, unitId: string): Promise<boolean> {
    return (await this.unitChain(unitId)).some((u) => u.managerIds.includes(personId));
  }

  async person(personId: string): Promise<Person | undefined> {
    const events = await this.store.readStream(personStreamName(personId));
    const state = events.reduce((s, e) => personDecider.evolve(s, asEvent<PersonEvent>(e)), personDecider.initialState());
    return state.status === 'registered' ? state.person : undefined;
  }

  /** A task type of the catalogue: its stream when an admin defined or changed it, else the default. */
  async taskType(key: string): Promise<TaskTypeDefinition | undefined> {
    const events = await this.store.readStream(taskTypeStreamName(key));
    if (events.length === 0) return DEFAULT_TASK_TYPES.find((t) => t.key === key);
    const state = events.reduce((s, e) => taskTypeDecider.evolve(s, asEvent<TaskTypeEvent>(e)), taskTypeDecider.initialState());
    return state.status === 'defined' ? state.definition : undefined;
  }

  async mandate(mandateId: string): Promise<Versioned<MandateState>> {
    const events = await this.store.readStream(mandateStreamName(mandateId));
    const value = events.reduce((s, e) => evolveMandate(s, asEvent<MandateEvent>(e)), { status: 'none' } as MandateState);
    return { value, revision: events.length - 1 };
  }
}
