import type { Collection, Db, Filter } from 'mongodb';
import type { MandateSnapshot, VersionedMandate } from '@leadership/delegation-contracts';
import { applyIfNewer } from '@leadership/projection';
import type { AuthorityStore, AuthorityStoreContents, ProjectedUnit, StoreWriteOutcome } from './authority.store';

/** One mandate in `authority_mandates`: the latest snapshot seen and its version. */
export interface AuthorityMandateDocument {
  /** Mandate id. */
  readonly _id: string;
  /** `MandateChanged.version` of `snapshot`; writes with a version not above it are ignored. */
  readonly version: number;
  readonly snapshot: MandateSnapshot;
  /** Copied out of the snapshot for operators' queries. */
  readonly delegateId: string;
  readonly unitId: string;
  /** When this process wrote it (writer's clock): lets other instances pick the change up. */
  readonly projectedAt: Date;
}

/** One unit in `authority_units`. */
export interface AuthorityUnitDocument {
  /** Unit id. */
  readonly _id: string;
  /** `UnitChanged.version`; writes with a version not above it are ignored. */
  readonly version: number;
  readonly parentId: string | null;
  readonly managerIds: readonly string[];
  readonly projectedAt: Date;
}

/** Collection names; a service may prefix them if it keeps several projections in one database. */
export interface MongoAuthorityStoreCollections {
  readonly mandates: string;
  readonly units: string;
}

const DEFAULT_COLLECTIONS: MongoAuthorityStoreCollections = { mandates: 'authority_mandates', units: 'authority_units' };

/**
 * The authority projection in MongoDB (or FerretDB). Each write is `applyIfNewer` from
 * @leadership/projection: one `updateOne` filtered by `{ _id, version: { $lt: incoming } }` with upsert, where
 * a duplicate key means "as new or newer already stored". One document per mandate or unit and no
 * multi-document operation, so it runs unchanged on FerretDB (no transactions) and MongoDB.
 */
export class MongoAuthorityStore implements AuthorityStore {
  private constructor(
    private readonly mandates: Collection<AuthorityMandateDocument>,
    private readonly units: Collection<AuthorityUnitDocument>,
    private readonly now: () => Date,
  ) {}

  /** The store in `db`, with the index its change reads use. */
  static async open(db: Db, options: { collections?: MongoAuthorityStoreCollections; now?: () => Date } = {}): Promise<MongoAuthorityStore> {
    const names = options.collections ?? DEFAULT_COLLECTIONS;
    const store = new MongoAuthorityStore(
      db.collection<AuthorityMandateDocument>(names.mandates),
      db.collection<AuthorityUnitDocument>(names.units),
      options.now ?? (() => new Date()),
    );
    await Promise.all([store.mandates.createIndex({ projectedAt: 1 }), store.units.createIndex({ projectedAt: 1 })]);
    return store;
  }

  saveMandate(entry: VersionedMandate): Promise<StoreWriteOutcome> {
    const { mandate } = entry;
    return applyIfNewer(
      this.mandates,
      mandate.mandateId,
      entry.version,
      { snapshot: mandate, delegateId: mandate.delegateId, unitId: mandate.scope.unitId, projectedAt: this.now() },
      { field: 'version' },
    );
  }

  saveUnit(entry: ProjectedUnit): Promise<StoreWriteOutcome> {
    return applyIfNewer(
      this.units,
      entry.unitId,
      entry.version,
      { parentId: entry.parentId, managerIds: [...entry.managerIds], projectedAt: this.now() },
      { field: 'version' },
    );
  }

  async findMandate(mandateId: string): Promise<VersionedMandate | undefined> {
    const doc = await this.mandates.findOne({ _id: mandateId });
    return doc ? toMandate(doc) : undefined;
  }

  async findUnit(unitId: string): Promise<ProjectedUnit | undefined> {
    const doc = await this.units.findOne({ _id: unitId });
    return doc ? toUnit(doc) : undefined;
  }

  async readChanges(since?: Date): Promise<AuthorityStoreContents> {
    const filter = since === undefined ? {} : { projectedAt: { $gte: since } };
    const [mandates, units] = await Promise.all([
      this.mandates.find(filter as Filter<AuthorityMandateDocument>).toArray(),
      this.units.find(filter as Filter<AuthorityUnitDocument>).toArray(),
    ]);
    return { mandates: mandates.map(toMandate), units: units.map(toUnit) };
  }
}

function toMandate(doc: AuthorityMandateDocument): VersionedMandate {
  return { version: doc.version, mandate: doc.snapshot };
}

function toUnit(doc: AuthorityUnitDocument): ProjectedUnit {
  return { unitId: doc._id, version: doc.version, parentId: doc.parentId, managerIds: doc.managerIds };
}
