import type { FilterQuery } from 'mongoose';
import type { MandateSnapshot } from '@leadership/delegation-contracts';
import {
  leadershipMap,
  may,
  whyAllowed,
  type AuthorityDecision,
  type AuthorityExplanation,
  type AuthorityQuery,
  type AuthoritySnapshot,
  type AuthorityUnit,
  type ExistingMandate,
  type LeadershipMap,
  type MandateSnapshot as DomainMandateSnapshot,
  type TaskTypeDefinition,
} from '@leadership/delegation-domain';
import type { DelegationReadModel, MandateDocument, MandateVersionDocument } from './delegation-read-model';

/** One version of a mandate, valid from `at` (the domain time of the change). */
export interface MandateVersion {
  readonly version: number;
  readonly at: string;
  readonly state: ExistingMandate;
}

/** What an as-of question reads of a mandate's current document. */
type CurrentVersion = Pick<MandateDocument, '_id' | 'revision' | 'state' | 'at' | 'atMs'>;
const CURRENT_VERSION_FIELDS = { _id: 1, revision: 1, state: 1, at: 1, atMs: 1 } as const;

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

/** The REST answer of a decision (undefined stays undefined: the question went unanswered). */
export function answerOf(decision: AuthorityDecision): AuthorityAnswer;
export function answerOf(decision: AuthorityDecision | undefined): AuthorityAnswer | undefined;
export function answerOf(decision: AuthorityDecision | undefined): AuthorityAnswer | undefined {
  if (!decision) return undefined;
  return { allowed: decision.allowed, basis: decision.basis, mandateId: decision.mandateId ?? null, mandateVersion: decision.mandateVersion ?? null, reason: decision.reason };
}

/**
 * Queries over the read model, answered as of any time T from the stored versions (units'
 * managers and parents as of T, each mandate's state as of T) by the domain's own pure
 * functions (`may`, `whyAllowed`, `leadershipMap`), so the service and the audit agree.
 */
export class DelegationQueries {
  constructor(private readonly readModel: DelegationReadModel) {}

  async list(query: MandateListQuery): Promise<Page<{ version: number; mandate: MandateSnapshot }>> {
    const filter: FilterQuery<MandateDocument> = {};
    if (query.unitId) filter.unitId = query.unitId;
    if (query.delegateId) filter.delegateId = query.delegateId;
    if (query.delegatorId) filter.delegatorId = query.delegatorId;
    if (query.status) filter.status = query.status;
    if (query.taskType) filter.taskType = query.taskType;
    const [total, docs] = await Promise.all([
      this.readModel.mandates.countDocuments(filter).exec(),
      this.readModel.mandates
        .find(filter, { revision: 1, snapshot: 1 })
        .sort({ proposedAt: -1, _id: 1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .lean<Pick<MandateDocument, 'revision' | 'snapshot'>[]>()
        .exec(),
    ]);
    return { items: docs.map((d) => ({ version: d.revision, mandate: d.snapshot })), page: query.page, pageSize: query.pageSize, total };
  }

  /** The unit and its ancestors as of T (one query per level, on the unit's versions). */
  private async unitChainAsOf(unitId: string, at: string): Promise<AuthorityUnit[]> {
    const t = Date.parse(at);
    const chain: AuthorityUnit[] = [];
    let next: string | null = unitId;
    while (next !== null && !chain.some((u) => u.id === next)) {
      const version: { parentId: string | null; managerIds: string[] } | null = await this.readModel.unitVersions
        .findOne({ unitId: next, atMs: { $lte: t } }, { parentId: 1, managerIds: 1 })
        .sort({ version: -1 })
        .lean<{ parentId: string | null; managerIds: string[] }>()
        .exec();
      if (!version) break;
      chain.push({ id: next, parentId: version.parentId, managerIds: version.managerIds });
      next = version.parentId;
    }
    return chain;
  }

  /**
   * Mandates matching the filter (on their current fields), each as it stood at T: the version
   * with the highest number among those valid from T or earlier (those proposed after T are left
   * out). A mandate whose current version took effect at or before T is that version, read from
   * its current document: a question about now reads no versions at all, however long the
   * histories (issue #11). The others take two queries whatever the length of the histories: the
   * matching versions' numbers, then the chosen versions themselves.
   */
  async mandateVersionsAsOf(filter: FilterQuery<MandateDocument>, at: string): Promise<MandateVersion[]> {
    return this.versionsAsOf(await this.readModel.mandates.find(filter, CURRENT_VERSION_FIELDS).lean<CurrentVersion[]>().exec(), at);
  }

  /**
   * One page of every mandate matching the filter as it stood at T, in mandate id order from
   * after `after`: at most `limit` mandates are looked at, so a page costs the same however many
   * mandates and versions the store holds (issue #11: the audit state loaded every history at
   * once). A page may hold fewer than `limit` (mandates proposed after T are left out); `next` is
   * the cursor of the following page, null after the last.
   */
  async mandateVersionsPageAsOf(
    filter: FilterQuery<MandateDocument>,
    at: string,
    page: { readonly after?: string; readonly limit: number },
  ): Promise<{ versions: MandateVersion[]; next: string | null }> {
    const scoped: FilterQuery<MandateDocument> = page.after === undefined ? filter : { ...filter, _id: { $gt: page.after } };
    const docs = await this.readModel.mandates.find(scoped, CURRENT_VERSION_FIELDS).sort({ _id: 1 }).limit(page.limit + 1).lean<CurrentVersion[]>().exec();
    const inPage = docs.slice(0, page.limit);
    return { versions: await this.versionsAsOf(inPage, at), next: docs.length > page.limit ? (inPage[inPage.length - 1]?._id ?? null) : null };
  }

  /** The given mandates as they stood at T, in mandate id order. */
  private async versionsAsOf(current: readonly CurrentVersion[], at: string): Promise<MandateVersion[]> {
    const t = Date.parse(at);
    const answered = new Map<string, MandateVersion>();
    const older: string[] = [];
    for (const doc of current) {
      if (doc.atMs !== undefined && doc.at !== undefined && doc.atMs <= t) answered.set(doc._id, { version: doc.revision, at: doc.at, state: doc.state });
      else older.push(doc._id);
    }
    if (older.length > 0) {
      const candidates = await this.readModel.mandateVersions
        .find({ mandateId: { $in: older }, atMs: { $lte: t } }, { mandateId: 1, version: 1 })
        .lean<Pick<MandateVersionDocument, '_id' | 'mandateId' | 'version'>[]>()
        .exec();
      const latest = new Map<string, { _id: string; version: number }>();
      for (const c of candidates) {
        const seen = latest.get(c.mandateId);
        if (!seen || seen.version < c.version) latest.set(c.mandateId, c);
      }
      if (latest.size > 0) {
        const chosen = await this.readModel.mandateVersions
          .find({ _id: { $in: [...latest.values()].map((v) => v._id) } }, { mandateId: 1, version: 1, at: 1, state: 1 })
          .lean<Pick<MandateVersionDocument, 'mandateId' | 'version' | 'at' | 'state'>[]>()
          .exec();
        for (const v of chosen) answered.set(v.mandateId, { version: v.version, at: v.at, state: v.state });
      }
    }
    return [...answered.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, version]) => version);
  }

  /** Mandates matching the filter, each as it stood at T, with its version then. */
  async mandatesAsOf(filter: FilterQuery<MandateDocument>, at: string): Promise<DomainMandateSnapshot[]> {
    return (await this.mandateVersionsAsOf(filter, at)).map((v) => ({ ...v.state, version: v.version }));
  }

  private async snapshotFor(query: AuthorityQuery): Promise<AuthoritySnapshot> {
    const units = await this.unitChainAsOf(query.unitId, query.at);
    // The unit's mandates and, for re-delegation chains, those of the units above it.
    const mandates = await this.mandatesAsOf({ unitId: { $in: units.length > 0 ? units.map((u) => u.id) : [query.unitId] } }, query.at);
    return { units, mandates };
  }

  async check(query: AuthorityQuery): Promise<AuthorityAnswer> {
    return answerOf(may(await this.snapshotFor(query), query));
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
