import { categoryOf, idOf } from '@leadership/kernel';
import type { Collection, Db, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';
import type { RecordedEvent } from '@leadership/event-store';
import { isDuplicateKey } from '@leadership/mongo-kit';
import type { MandateSnapshot } from '@leadership/delegation-contracts';
import {
  evolveMandate,
  personDecider,
  unitDecider,
  MANDATE_STREAM_CATEGORY,
  PERSON_STREAM_CATEGORY,
  UNIT_STREAM_CATEGORY,
  type ExistingMandate,
  type MandateEvent,
  type MandateState,
  type Person,
  type PersonEvent,
  type PersonState,
  type Unit,
  type UnitEvent,
  type UnitState,
} from '@leadership/delegation-domain';
import { toMandateSnapshot } from './mandate-snapshot.mapper';

/** One version of a mandate, valid from `at` (the domain time of the change). */
export interface MandateVersion {
  readonly version: number;
  readonly at: string;
  readonly state: ExistingMandate;
}

/** Read model of one mandate: current state, indexed fields for lists, and every version for as-of questions. */
export interface MandateDocument {
  _id: string;
  revision: number;
  /** Global position of the last applied event. */
  position: string;
  state: ExistingMandate;
  snapshot: MandateSnapshot;
  unitId: string;
  delegateId: string;
  delegatorId: string;
  taskType: string;
  status: string;
  proposedAt: string;
  history: MandateVersion[];
}

export interface UnitVersion {
  readonly version: number;
  readonly at: string;
  readonly parentId: string | null;
  readonly managerIds: readonly string[];
}

export interface UnitDocument {
  _id: string;
  revision: number;
  position: string;
  unit: Unit;
  history: UnitVersion[];
}

export interface PersonDocument {
  _id: string;
  revision: number;
  position: string;
  person: Person;
  /** Unit ids (indexed: members of a unit). */
  unitIds: string[];
}

export interface CheckpointDocument {
  _id: string;
  position: string;
  updatedAt: string;
}

const atOf = (event: RecordedEvent) => String((event.data as { at?: unknown }).at ?? event.recordedAt);

/**
 * The delegation read model in MongoDB (FerretDB-compatible: single-document writes, no
 * transactions). Every document stores the stream revision it applied; an event is applied only
 * on top of the revision before it, so redelivery and replays are harmless and the documents
 * depend only on the events (a rebuild yields the same documents).
 */
export class DelegationReadModel {
  readonly mandates: Collection<MandateDocument>;
  readonly units: Collection<UnitDocument>;
  readonly people: Collection<PersonDocument>;
  readonly checkpoints: Collection<CheckpointDocument>;

  constructor(readonly db: Db) {
    this.mandates = db.collection<MandateDocument>('mandates');
    this.units = db.collection<UnitDocument>('units');
    this.people = db.collection<PersonDocument>('people');
    this.checkpoints = db.collection<CheckpointDocument>('projection_checkpoints');
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([
      this.mandates.createIndex({ unitId: 1, status: 1 }),
      this.mandates.createIndex({ delegateId: 1, unitId: 1 }),
      this.mandates.createIndex({ delegatorId: 1 }),
      this.mandates.createIndex({ taskType: 1 }),
      this.mandates.createIndex({ status: 1 }),
      this.people.createIndex({ unitIds: 1 }),
    ]);
  }

  /** Streams whose events this read model applies. */
  static readonly categories = [MANDATE_STREAM_CATEGORY, UNIT_STREAM_CATEGORY, PERSON_STREAM_CATEGORY] as const;

  async apply(event: RecordedEvent): Promise<'applied' | 'skipped'> {
    switch (categoryOf(event.streamName)) {
      case MANDATE_STREAM_CATEGORY:
        return this.applyMandate(event);
      case UNIT_STREAM_CATEGORY:
        return this.applyUnit(event);
      case PERSON_STREAM_CATEGORY:
        return this.applyPerson(event);
      default:
        return 'skipped';
    }
  }

  /*
   * The one optimistic step of every read-model document: load it, skip what was applied, fold
   * the event into the stored state, write guarded by the previous revision (a concurrent
   * projector loses cleanly; an insert race is a duplicate key, i.e. already applied).
   */
  private async applyGuarded<D extends { _id: string; revision: number }, S>(
    collection: Collection<D>,
    event: RecordedEvent,
    previousState: (doc: D | null) => S,
    next: (state: S) => { fields: Omit<D, '_id' | 'history'>; history?: unknown } | undefined,
  ): Promise<'applied' | 'skipped'> {
    const id = idOf(event.streamName);
    const doc = (await collection.findOne({ _id: id } as Filter<D>)) as D | null;
    if (doc && doc.revision >= event.revision) return 'skipped';
    const change = next(previousState(doc));
    if (!change) return 'skipped';
    if (!doc) {
      const inserted = { _id: id, ...change.fields, ...(change.history !== undefined ? { history: [change.history] } : {}) };
      try {
        await collection.insertOne(inserted as unknown as OptionalUnlessRequiredId<D>);
      } catch (error) {
        if (isDuplicateKey(error)) return 'skipped';
        throw error;
      }
      return 'applied';
    }
    const update = { $set: change.fields, ...(change.history !== undefined ? { $push: { history: change.history } } : {}) } as unknown as UpdateFilter<D>;
    const result = await collection.updateOne({ _id: id, revision: doc.revision } as Filter<D>, update);
    return result.modifiedCount === 1 ? 'applied' : 'skipped';
  }

  private applyMandate(event: RecordedEvent): Promise<'applied' | 'skipped'> {
    return this.applyGuarded<MandateDocument, MandateState>(
      this.mandates,
      event,
      (doc) => (doc ? doc.state : { status: 'none' }),
      (previous) => {
        const state = evolveMandate(previous, { type: event.type, data: event.data } as MandateEvent);
        if (state.status === 'none') return undefined;
        const history: MandateVersion = { version: event.revision, at: atOf(event), state };
        return {
          fields: {
            revision: event.revision,
            position: event.position.toString(),
            state,
            snapshot: toMandateSnapshot(state),
            unitId: state.scope.unitId,
            delegateId: state.delegateId,
            delegatorId: state.delegatorId,
            taskType: state.taskType,
            status: state.status,
            proposedAt: state.proposedAt,
          },
          history,
        };
      },
    );
  }

  private applyUnit(event: RecordedEvent): Promise<'applied' | 'skipped'> {
    return this.applyGuarded<UnitDocument, UnitState>(
      this.units,
      event,
      (doc) => (doc ? { status: 'registered', unit: doc.unit } : unitDecider.initialState()),
      (previous) => {
        const state = unitDecider.evolve(previous, { type: event.type, data: event.data } as UnitEvent);
        if (state.status !== 'registered') return undefined;
        const history: UnitVersion = { version: event.revision, at: atOf(event), parentId: state.unit.parentId, managerIds: state.unit.managerIds };
        return { fields: { revision: event.revision, position: event.position.toString(), unit: state.unit }, history };
      },
    );
  }

  private applyPerson(event: RecordedEvent): Promise<'applied' | 'skipped'> {
    return this.applyGuarded<PersonDocument, PersonState>(
      this.people,
      event,
      (doc) => (doc ? { status: 'registered', person: doc.person } : personDecider.initialState()),
      (previous) => {
        const state = personDecider.evolve(previous, { type: event.type, data: event.data } as PersonEvent);
        if (state.status !== 'registered') return undefined;
        return { fields: { revision: event.revision, position: event.position.toString(), person: state.person, unitIds: [...state.person.unitIds] } };
      },
    );
  }

  async checkpoint(name: string): Promise<bigint | undefined> {
    const doc = await this.checkpoints.findOne({ _id: name });
    return doc ? BigInt(doc.position) : undefined;
  }

  async saveCheckpoint(name: string, position: bigint, at: string): Promise<void> {
    await this.checkpoints.updateOne({ _id: name }, { $set: { position: position.toString(), updatedAt: at } }, { upsert: true });
  }
}
