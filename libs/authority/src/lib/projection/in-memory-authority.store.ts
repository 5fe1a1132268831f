import type { VersionedMandate } from '@leadership/delegation-contracts';
import type { AuthorityStore, AuthorityStoreContents, ProjectedUnit, StoreWriteOutcome } from './authority.store';

interface Written<T> {
  readonly value: T;
  readonly writtenAt: Date;
}

/**
 * The store in memory, with the same version guard as the MongoDB one. For unit tests of code
 * that uses the authority projection (it forgets everything on restart).
 */
export class InMemoryAuthorityStore implements AuthorityStore {
  private readonly mandates = new Map<string, Written<VersionedMandate>>();
  private readonly units = new Map<string, Written<ProjectedUnit>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async saveMandate(entry: VersionedMandate): Promise<StoreWriteOutcome> {
    return this.save(this.mandates, entry.mandate.mandateId, entry);
  }

  async saveUnit(entry: ProjectedUnit): Promise<StoreWriteOutcome> {
    return this.save(this.units, entry.unitId, entry);
  }

  async findMandate(mandateId: string): Promise<VersionedMandate | undefined> {
    return this.mandates.get(mandateId)?.value;
  }

  async findUnit(unitId: string): Promise<ProjectedUnit | undefined> {
    return this.units.get(unitId)?.value;
  }

  async readChanges(since?: Date): Promise<AuthorityStoreContents> {
    const changed = <T>(entries: Map<string, Written<T>>) =>
      [...entries.values()].filter((e) => since === undefined || e.writtenAt >= since).map((e) => e.value);
    return { mandates: changed(this.mandates), units: changed(this.units) };
  }

  private save<T extends { readonly version: number }>(entries: Map<string, Written<T>>, id: string, value: T): StoreWriteOutcome {
    const stored = entries.get(id);
    if (stored && stored.value.version >= value.version) return 'stale';
    entries.set(id, { value, writtenAt: this.now() });
    return 'applied';
  }
}
