import { categoryOf, idOf } from '@leadership/kernel';
import type { Collection, Document } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import { evolveRecorded, type RecordedEvent } from '@leadership/event-store';
import { applyIfNewer, isDuplicateKey, modelOn, type ApplyResult, type ProjectedReadModel } from '@leadership/projection';
import {
  mandateDecider,
  personDecider,
  personOf,
  unitDecider,
  MANDATE_STREAM_CATEGORY,
  PERSON_STREAM_CATEGORY,
  UNIT_STREAM_CATEGORY,
  type MandateState,
  type PersonState,
  type UnitState,
} from '@leadership/delegation-domain';
import { toMandateSnapshot } from './mandate-snapshot.mapper';
import {
  mandateSchema,
  mandateVersionSchema,
  personSchema,
  unitSchema,
  unitVersionSchema,
  type MandateDocument,
  type MandateVersionDocument,
  type PersonDocument,
  type UnitDocument,
  type UnitVersionDocument,
} from './delegation-read-model.schemas';

export type { MandateDocument, MandateVersionDocument, PersonDocument, UnitDocument, UnitVersionDocument } from './delegation-read-model.schemas';

const atOf = (event: RecordedEvent) => String((event.data as { at?: unknown }).at ?? event.recordedAt);

/** What one event does to a document: its new fields and, for versioned documents, the new version. */
interface Change<D, V> {
  readonly fields: Omit<D, '_id' | 'revision'>;
  readonly version?: V;
}

/** How one kind of document is folded from its stream. */
interface DocumentKind<D extends { _id: string; revision: number }, V, S> {
  readonly model: Model<D>;
  readonly versions?: Model<V>;
  readonly initial: () => S;
  /** The stored fields the state is read back from (a projection). */
  readonly stateFields: Record<string, 1>;
  readonly stateOf: (doc: D) => S;
  readonly evolve: (state: S, event: RecordedEvent) => S;
  readonly change: (state: S, event: RecordedEvent) => Change<D, V> | undefined;
}

/** States of the documents this process wrote last, by `<collection>/<id>` (bounded, oldest out first). */
const CACHE_LIMIT = 5000;

/**
 * The delegation read model in MongoDB through mongoose models (FerretDB-compatible: single-
 * document writes, no transactions). Every document stores the stream revision it applied and is
 * written through `applyIfNewer`, so redelivery and replays are harmless and the documents
 * depend only on the events (a rebuild yields the same documents). Versions go to their own
 * collections before the current document is written: a crash between the two leaves a version
 * that the redelivered event writes again (a duplicate key, ignored), never a current document
 * without its version.
 *
 * Applying an event needs the state before it. The state this process wrote last for a stream is
 * kept in memory: events of one stream arrive in order, so the state at revision r-1 (the same
 * in any process, being a fold of the same events) is usually at hand and the apply is two
 * writes without a read. Otherwise it is read back; a first event (revision 0) needs no read.
 */
export class DelegationReadModel implements ProjectedReadModel {
  /** Streams whose events this read model applies. */
  static readonly categories = [MANDATE_STREAM_CATEGORY, UNIT_STREAM_CATEGORY, PERSON_STREAM_CATEGORY] as const;

  readonly name = 'delegation-read-model';
  /** 2: versions in collections of their own (1 kept them in an array in each document). */
  readonly version = 2;
  readonly categories = DelegationReadModel.categories;

  readonly mandates: Model<MandateDocument>;
  readonly mandateVersions: Model<MandateVersionDocument>;
  readonly units: Model<UnitDocument>;
  readonly unitVersions: Model<UnitVersionDocument>;
  readonly people: Model<PersonDocument>;

  private readonly cache = new Map<string, { revision: number; state: unknown }>();
  private readonly mandateKind: DocumentKind<MandateDocument, MandateVersionDocument, MandateState>;
  private readonly unitKind: DocumentKind<UnitDocument, UnitVersionDocument, UnitState>;
  private readonly personKind: DocumentKind<PersonDocument, never, PersonState>;

  constructor(readonly connection: Connection) {
    this.mandates = modelOn(connection, 'DelegationMandate', mandateSchema);
    this.mandateVersions = modelOn(connection, 'DelegationMandateVersion', mandateVersionSchema);
    this.units = modelOn(connection, 'DelegationUnit', unitSchema);
    this.unitVersions = modelOn(connection, 'DelegationUnitVersion', unitVersionSchema);
    this.people = modelOn(connection, 'DelegationPerson', personSchema);

    this.mandateKind = {
      model: this.mandates,
      versions: this.mandateVersions,
      initial: mandateDecider.initialState,
      stateFields: { revision: 1, state: 1 },
      stateOf: (doc) => doc.state,
      evolve: (state, event) => evolveRecorded(mandateDecider, state, event),
      change: (state, event) => {
        if (state.status === 'none') return undefined;
        const at = atOf(event);
        return {
          fields: {
            position: event.position.toString(),
            state,
            snapshot: toMandateSnapshot(state),
            unitId: state.scope.unitId,
            delegateId: state.delegateId,
            delegatorId: state.delegatorId,
            taskType: state.taskType,
            status: state.status,
            proposedAt: state.proposedAt,
            at,
            atMs: Date.parse(at),
          },
          version: { _id: `${state.mandateId}:${event.revision}`, mandateId: state.mandateId, version: event.revision, at, atMs: Date.parse(at), state },
        };
      },
    };
    this.unitKind = {
      model: this.units,
      versions: this.unitVersions,
      initial: unitDecider.initialState,
      stateFields: { revision: 1, unit: 1 },
      stateOf: (doc) => ({ status: 'registered', unit: doc.unit }),
      evolve: (state, event) => evolveRecorded(unitDecider, state, event),
      change: (state, event) => {
        if (state.status !== 'registered') return undefined;
        const { unit } = state;
        const at = atOf(event);
        return {
          fields: { position: event.position.toString(), unit },
          version: { _id: `${unit.id}:${event.revision}`, unitId: unit.id, version: event.revision, at, atMs: Date.parse(at), parentId: unit.parentId, managerIds: [...unit.managerIds] },
        };
      },
    };
    this.personKind = {
      model: this.people,
      initial: personDecider.initialState,
      stateFields: { revision: 1, person: 1 },
      // Documents written before skills and absences existed hold neither: read them as none.
      stateOf: (doc) => ({ status: 'registered', person: personOf(doc.person) }),
      evolve: (state, event) => evolveRecorded(personDecider, state, event),
      change: (state, event) =>
        state.status === 'registered' ? { fields: { position: event.position.toString(), person: state.person, unitIds: [...state.person.unitIds] } } : undefined,
    };
  }

  async init(): Promise<void> {
    await Promise.all([this.mandates.createIndexes(), this.mandateVersions.createIndexes(), this.units.createIndexes(), this.unitVersions.createIndexes(), this.people.createIndexes()]);
  }

  async reset(): Promise<void> {
    this.cache.clear();
    await Promise.all([
      this.mandates.deleteMany({}).exec(),
      this.mandateVersions.deleteMany({}).exec(),
      this.units.deleteMany({}).exec(),
      this.unitVersions.deleteMany({}).exec(),
      this.people.deleteMany({}).exec(),
    ]);
  }

  apply(event: RecordedEvent): Promise<ApplyResult> {
    switch (categoryOf(event.streamName)) {
      case MANDATE_STREAM_CATEGORY:
        return this.applyTo(this.mandateKind, event);
      case UNIT_STREAM_CATEGORY:
        return this.applyTo(this.unitKind, event);
      case PERSON_STREAM_CATEGORY:
        return this.applyTo(this.personKind, event);
      default:
        return Promise.resolve('skipped');
    }
  }

  /*
   * The one apply step of every document: the state before the event (cached, read back, or the
   * initial state for a stream's first event), the fold, the version insert, the guarded write.
   */
  private async applyTo<D extends { _id: string; revision: number }, V, S>(kind: DocumentKind<D, V, S>, event: RecordedEvent): Promise<ApplyResult> {
    const id = idOf(event.streamName);
    const key = `${kind.model.collection.collectionName}/${id}`;
    const before = await this.stateBefore(kind, key, id, event);
    if (before === 'already-applied') return 'skipped';
    const state = kind.evolve(before, event);
    const change = kind.change(state, event);
    if (!change) return 'skipped';
    if (kind.versions && change.version) await this.insertVersion(kind.versions, change.version);
    /*
     * Written through the model's collection, not the model: the documents are built by typed
     * code to the schema's shape, so mongoose's update casting would change nothing, and it cost
     * ~0.6 ms CPU per event (measured; the projector runs in the service's process).
     */
    const outcome = await applyIfNewer(kind.model.collection as unknown as Collection<D>, id, event.revision, change.fields as unknown as Partial<D>);
    this.remember(key, event.revision, state);
    return outcome === 'applied' ? 'applied' : 'skipped';
  }

  private async stateBefore<D extends { _id: string; revision: number }, V, S>(
    kind: DocumentKind<D, V, S>,
    key: string,
    id: string,
    event: RecordedEvent,
  ): Promise<S | 'already-applied'> {
    const cached = this.cache.get(key);
    if (cached && cached.revision >= event.revision) return 'already-applied';
    if (cached && cached.revision === event.revision - 1) return cached.state as S;
    // A stream's first event starts from the initial state; the guarded write skips it if stored.
    if (event.revision === 0) return kind.initial();
    const doc = await kind.model.findOne({ _id: id }, kind.stateFields).lean<D>().exec();
    if (doc && doc.revision >= event.revision) return 'already-applied';
    return doc ? kind.stateOf(doc) : kind.initial();
  }

  private async insertVersion<V>(versions: Model<V>, version: V): Promise<void> {
    try {
      await versions.collection.insertOne(version as unknown as Document);
    } catch (error) {
      // Written before, by a delivery that did not get as far as the current document.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  private remember(key: string, revision: number, state: unknown): void {
    this.cache.delete(key);
    this.cache.set(key, { revision, state });
    if (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
