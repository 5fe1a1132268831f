import type { Filter } from 'mongodb';
import type { MandateSnapshot } from '@leadership/delegation-contracts';
import {
  leadershipMap,
  may,
  whyAllowed,
  type AuthorityExplanation,
  type AuthorityQuery,
  type AuthoritySnapshot,
  type AuthorityUnit,
  type LeadershipMap,
  type MandateSnapshot as DomainMandateSnapshot,
  type TaskTypeDefinition,
} from '@leadership/delegation-domain';
import type { DelegationReadModel, MandateDocument, MandateVersion, UnitVersion } from './delegation-read-model';

export interface MandateListQuery {
  readonly unitId?: string;
  readonly delegateId?: string;
  readonly delegatorId?: string;
  readonly status?: string;
  readonly taskType?: string;
  readonly page: number;
  readonly pageSize: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

/** The REST answer of an authority check: every field present, null when not applicable. */
export interface AuthorityAnswer {
  readonly allowed: boolean;
  readonly basis: 'formal-manager' | 'mandate' | null;
  readonly mandateId: string | null;
  readonly mandateVersion: number | null;
  readonly reason: string;
}

/** The last version with `at` ≤ T (versions are in stream order, and domain time never goes back within a stream). */
export function versionAt<V extends { at: string }>(history: readonly V[], at: string): V | undefined {
  const t = Date.parse(at);
  let found: V | undefined;
  for (const v of history) if (Date.parse(v.at) <= t) found = v;
  return found;
}

/**
 * Queries over the read model, answered as of any time T from the stored versions (units'
 * managers and parents as of T, each mandate's state as of T) by the domain's own pure
 * functions (`may`, `whyAllowed`, `leadershipMap`), so the service and the audit agree.
 */
export class DelegationQueries {
  constructor(private readonly readModel: DelegationReadModel) {}

  async list(query: MandateListQuery): Promise<Page<{ version: number; mandate: MandateSnapshot }>> {
    const filter: Filter<MandateDocument> = {};
    if (query.unitId) filter.unitId = query.unitId;
    if (query.delegateId) filter.delegateId = query.delegateId;
    if (query.delegatorId) filter.delegatorId = query.delegatorId;
    if (query.status) filter.status = query.status;
    if (query.taskType) filter.taskType = query.taskType;
    const [total, docs] = await Promise.all([
      this.readModel.mandates.countDocuments(filter),
      this.readModel.mandates
        .find(filter, { projection: { history: 0, state: 0 } })
        .sort({ proposedAt: -1, _id: 1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .toArray(),
    ]);
    return { items: docs.map((d) => ({ version: d.revision, mandate: d.snapshot })), page: query.page, pageSize: query.pageSize, total };
  }

  /** The unit and its ancestors as of T. */
  private async unitChainAsOf(unitId: string, at: string): Promise<AuthorityUnit[]> {
    const chain: AuthorityUnit[] = [];
    let next: string | null = unitId;
    while (next !== null && !chain.some((u) => u.id === next)) {
      const doc: { history: UnitVersion[] } | null = await this.readModel.units.findOne({ _id: next }, { projection: { history: 1 } });
      const version: UnitVersion | undefined = doc ? versionAt(doc.history, at) : undefined;
      if (!doc || !version) break;
      chain.push({ id: next, parentId: version.parentId, managerIds: version.managerIds });
      next = version.parentId;
    }
    return chain;
  }

  /** Mandates matching the filter, each as it stood at T (those proposed after T are left out). */
  async mandatesAsOf(filter: Filter<MandateDocument>, at: string): Promise<DomainMandateSnapshot[]> {
    const docs = await this.readModel.mandates.find(filter, { projection: { history: 1 } }).toArray();
    return docs.flatMap((d) => {
      const v: MandateVersion | undefined = versionAt(d.history, at);
      return v ? [{ ...v.state, version: v.version }] : [];
    });
  }

  private async snapshotFor(query: AuthorityQuery): Promise<AuthoritySnapshot> {
    const units = await this.unitChainAsOf(query.unitId, query.at);
    // The unit's mandates and, for re-delegation chains, those of the units above it.
    const mandates = await this.mandatesAsOf({ unitId: { $in: units.length > 0 ? units.map((u) => u.id) : [query.unitId] } }, query.at);
    return { units, mandates };
  }

  async check(query: AuthorityQuery): Promise<AuthorityAnswer> {
    const decision = may(await this.snapshotFor(query), query);
    return {
      allowed: decision.allowed,
      basis: decision.basis,
      mandateId: decision.mandateId ?? null,
      mandateVersion: decision.mandateVersion ?? null,
      reason: decision.reason,
    };
  }

  /** The answer and the chain behind it (mandate → delegator → … → a formal manager, or broken). */
  async why(query: AuthorityQuery): Promise<AuthorityExplanation> {
    return whyAllowed(await this.snapshotFor(query), query);
  }

  async leadershipMap(unitId: string, at: string, catalogue: readonly TaskTypeDefinition[], expiringWithinDays = 14): Promise<LeadershipMap | undefined> {
    const units = await this.unitChainAsOf(unitId, at);
    if (units.length === 0) return undefined;
    const mandates = await this.mandatesAsOf({ unitId }, at);
    return leadershipMap({ units, mandates }, catalogue, unitId, at, { expiringWithinDays });
  }
}
