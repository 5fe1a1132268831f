import type { VersionedMandate } from '@leadership/delegation-contracts';

/** A unit as the authority projection keeps it: hierarchy and formal managers, with its version. */
export interface ProjectedUnit {
  readonly unitId: string;
  /** `UnitChanged.version` of the state kept (highest seen). */
  readonly version: number;
  readonly parentId: string | null;
  readonly managerIds: readonly string[];
}

/** Units and mandates as a store hands them over (warm load, changes written by other instances). */
export interface AuthorityStoreContents {
  readonly mandates: readonly VersionedMandate[];
  readonly units: readonly ProjectedUnit[];
}

/** `applied`: the store took the write; `stale`: it already held this version or a newer one. */
export type StoreWriteOutcome = 'applied' | 'stale';

/**
 * Where a service keeps its authority projection durably, so that a restart does not have to
 * re-read the topics from the beginning. Every write is one single-document operation guarded
 * by the version (apply only if newer): redelivery, replays and racing instances are harmless
 * and no transaction is needed (FerretDB has none).
 */
export interface AuthorityStore {
  /** Keeps the mandate snapshot if `version` is newer than the stored one. */
  saveMandate(entry: VersionedMandate): Promise<StoreWriteOutcome>;
  /** Keeps the unit if `version` is newer than the stored one. */
  saveUnit(entry: ProjectedUnit): Promise<StoreWriteOutcome>;
  findMandate(mandateId: string): Promise<VersionedMandate | undefined>;
  findUnit(unitId: string): Promise<ProjectedUnit | undefined>;
  /**
   * Everything, or what was written at or after `since` (by this process or another instance of
   * the service sharing the store), by the writer's clock.
   */
  readChanges(since?: Date): Promise<AuthorityStoreContents>;
}
