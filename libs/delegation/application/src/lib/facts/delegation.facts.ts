import { readAggregate, type ReadOnlyEventStore } from '@leadership/event-store';
import {
  DEFAULT_TASK_TYPES,
  mandateDecider,
  mandateStreamName,
  personDecider,
  personStreamName,
  taskTypeDecider,
  taskTypeStreamName,
  unitDecider,
  unitStreamName,
  type MandateState,
  type Person,
  type TaskTypeDefinition,
  type Unit,
} from '@leadership/delegation-domain';

/** A value and the revision of its stream's last event (-1 for an empty stream). */
export interface Versioned<T> {
  readonly value: T;
  readonly revision: number;
}

/**
 * Facts the mandate rules need, read from the event store itself (not from projections), so a
 * command never decides on a stale read model: who manages which unit, who belongs where, the
 * task type, a mandate's current state. Each is a short stream, read and folded by the one
 * `readAggregate` with the domain's own deciders.
 */
export class DelegationFacts {
  constructor(private readonly store: Pick<ReadOnlyEventStore, 'readStream'>) {}

  async unit(unitId: string): Promise<Unit | undefined> {
    const { state } = await readAggregate(this.store, unitDecider, unitStreamName(unitId));
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
    // Walks up only as far as needed: the first unit the person manages answers.
    const seen = new Set<string>();
    for (let next: string | null = unitId; next !== null && !seen.has(next); ) {
      seen.add(next);
      const unit = await this.unit(next);
      if (!unit) return false;
      if (unit.managerIds.includes(personId)) return true;
      next = unit.parentId;
    }
    return false;
  }

  async person(personId: string): Promise<Person | undefined> {
    return (await this.versionedPerson(personId))?.value;
  }

  /** The person and the revision of their stream (their version, an ETag). */
  async versionedPerson(personId: string): Promise<Versioned<Person> | undefined> {
    const { state, revision } = await readAggregate(this.store, personDecider, personStreamName(personId));
    return state.status === 'registered' ? { value: state.person, revision } : undefined;
  }

  /** A task type of the catalogue: its stream when an admin defined or changed it, else the default. */
  async taskType(key: string): Promise<TaskTypeDefinition | undefined> {
    const { state, revision } = await readAggregate(this.store, taskTypeDecider, taskTypeStreamName(key));
    if (revision < 0) return DEFAULT_TASK_TYPES.find((t) => t.key === key);
    return state.status === 'defined' ? state.definition : undefined;
  }

  async mandate(mandateId: string): Promise<Versioned<MandateState>> {
    const { state, revision } = await readAggregate(this.store, mandateDecider, mandateStreamName(mandateId));
    return { value: state, revision };
  }
}
