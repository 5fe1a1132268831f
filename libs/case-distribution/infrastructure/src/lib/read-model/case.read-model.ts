import { Schema, type Connection, type Model } from 'mongoose';
import { toDomainEvent, type RecordedEvent } from '@leadership/event-store';
import { assertNever, idOf } from '@leadership/kernel';
import { applyIfNewer, isDuplicateKey, modelOn, type ApplyResult, type ProjectedReadModel } from '@leadership/projection';
import { CASE_STREAM_CATEGORY, caseDecider, type CaseEvent, type CaseStatus, type DecisionStamp, type Priority } from '@leadership/case-distribution-domain';

/** The decision an event records, with the authority it needed (none for the routing policy's). */
function decisionOf(
  event: CaseEvent,
): { kind: DecisionDocument['kind']; authority: DecisionDocument['authority']; subjectId: string | null; stamp: DecisionStamp; at: string; reason: string | null } | undefined {
  switch (event.type) {
    case 'CaseOffered':
      return { kind: 'offered', authority: null, subjectId: event.data.agentId, stamp: event.data.stamp, at: event.data.at, reason: event.data.explanation.rule };
    case 'CaseAssigned':
      return { kind: 'assigned', authority: 'cases.assign', subjectId: event.data.assigneeId, stamp: event.data.stamp, at: event.data.at, reason: event.data.reason };
    case 'CaseReassigned':
      return { kind: 'reassigned', authority: 'cases.reassign', subjectId: event.data.assigneeId, stamp: event.data.stamp, at: event.data.at, reason: event.data.reason };
    case 'CasePrioritised':
      return { kind: 'prioritised', authority: 'cases.prioritise', subjectId: null, stamp: event.data.stamp, at: event.data.at, reason: event.data.reason };
    case 'CaseOverflowed':
      return { kind: 'overflowed', authority: event.data.stamp.basis === 'routing-policy' ? null : 'cases.prioritise', subjectId: null, stamp: event.data.stamp, at: event.data.at, reason: event.data.why };
    default:
      return undefined;
  }
}

/** `cases`: the current state of one case, with the stream revision it shows. */
export type CaseDocument = {
  _id: string;
  /** Stream revision of the last applied event (the case's version, its ETag). */
  revision: number;
  queueId: string;
  unitId: string;
  title: string;
  status: CaseStatus;
  priority: Priority;
  /** Original arrival (kept when a case goes back to the queue). */
  receivedAt: string;
  registeredBy: string;
  offeredTo: string | null;
  assigneeId: string | null;
  resolvedAt: string | null;
};

/**
 * `case_decisions`: one document per leadership decision on a case (offer, assignment,
 * reassignment, reprioritisation, overflow) with the stamp it was taken on — what compliance
 * lists and re-checks (`GET /audit/decisions`). Insert-only, keyed by stream and revision.
 */
export type DecisionDocument = {
  _id: string;
  caseId: string;
  unitId: string;
  queueId: string;
  kind: 'offered' | 'assigned' | 'reassigned' | 'prioritised' | 'overflowed';
  /** The authority the decision needed (null for routing-policy decisions). */
  authority: 'cases.assign' | 'cases.reassign' | 'cases.prioritise' | null;
  actorId: string;
  /** Whom it gave the case to (offered agent, assignee); null for reprioritisations and overflows. */
  subjectId: string | null;
  basis: 'mandate' | 'formal-manager' | 'routing-policy';
  mandateId: string | null;
  mandateVersion: number | null;
  at: string;
  reason: string | null;
};

/** A case as the read model answers it. */
export type CaseView = Omit<CaseDocument, '_id' | 'revision'> & { readonly caseId: string; readonly version: number };

const caseSchema = new Schema<CaseDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    queueId: { type: String, required: true },
    unitId: { type: String, required: true },
    title: { type: String, required: true },
    status: { type: String, enum: ['queued', 'offered', 'assigned', 'resolved'], required: true },
    priority: { type: String, required: true },
    receivedAt: { type: String, required: true },
    registeredBy: { type: String, required: true },
    offeredTo: { type: String, default: null },
    assigneeId: { type: String, default: null },
    resolvedAt: { type: String, default: null },
  },
  { versionKey: false, collection: 'cases' },
);
// Lists filter by status, queue or assignee, newest first; simple indexes FerretDB serves too.
caseSchema.index({ status: 1, receivedAt: -1 });
caseSchema.index({ queueId: 1, status: 1, receivedAt: -1 });
caseSchema.index({ assigneeId: 1, status: 1, receivedAt: -1 });

const decisionSchema = new Schema<DecisionDocument>(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    unitId: { type: String, required: true },
    queueId: { type: String, required: true },
    kind: { type: String, required: true },
    authority: { type: String, default: null },
    actorId: { type: String, required: true },
    subjectId: { type: String, default: null },
    basis: { type: String, required: true },
    mandateId: { type: String, default: null },
    mandateVersion: { type: Number, default: null },
    at: { type: String, required: true },
    reason: { type: String, default: null },
  },
  { versionKey: false, collection: 'case_decisions' },
);
decisionSchema.index({ unitId: 1, at: 1 });
decisionSchema.index({ at: 1 });

/** Longest answer of the decisions report (a compliance export pages by time). */
export const MAX_DECISIONS = 5_000;

/** Longest page of a list (bounded answers; FerretDB scans whole collections on other queries). */
export const MAX_CASE_PAGE = 100;

const view = (doc: CaseDocument): CaseView => {
  const { _id, revision, ...rest } = doc;
  return { caseId: _id, version: revision, ...rest };
};

/**
 * The case read model, kept by a Projector from the event store. Each event writes one
 * document through `applyIfNewer` (guarded by the stream revision), so redelivery and replays
 * are harmless and no transaction is needed. Every event carries what its write needs: no read
 * before the write.
 */
export class CaseReadModel implements ProjectedReadModel {
  readonly name = 'case-distribution-cases';
  /** Bump when the stored shape changes: the projector then rebuilds the read model from the store. */
  readonly version = 3;
  readonly categories = [CASE_STREAM_CATEGORY];
  readonly cases: Model<CaseDocument>;
  readonly decisions: Model<DecisionDocument>;
  /** Queue and unit of each case seen, for decision documents of later events (bounded LRU). */
  private readonly placeOf = new Map<string, { queueId: string; unitId: string }>();

  constructor(connection: Connection) {
    this.cases = modelOn(connection, 'CaseDistributionCase', caseSchema);
    this.decisions = modelOn(connection, 'CaseDistributionDecision', decisionSchema);
  }

  async init(): Promise<void> {
    await Promise.all([this.cases.createIndexes(), this.decisions.createIndexes()]);
  }

  async reset(): Promise<void> {
    this.placeOf.clear();
    await Promise.all([this.cases.deleteMany({}).exec(), this.decisions.deleteMany({}).exec()]);
  }

  async apply(recorded: RecordedEvent): Promise<ApplyResult> {
    const id = idOf(recorded.streamName);
    // Through the decider as the one reader: an upcaster added there applies here too.
    const event = toDomainEvent(caseDecider, recorded);
    await this.recordDecision(id, recorded, event);
    let set: Partial<CaseDocument>;
    switch (event.type) {
      case 'CaseRegistered': {
        const { queueId, unitId, title, priority, receivedAt, actorId } = event.data;
        set = { queueId, unitId, title, status: 'queued', priority, receivedAt, registeredBy: actorId, offeredTo: null, assigneeId: null, resolvedAt: null };
        break;
      }
      case 'CaseOffered':
        set = { status: 'offered', offeredTo: event.data.agentId };
        break;
      case 'CaseOfferAccepted':
        set = { status: 'assigned', offeredTo: null, assigneeId: event.data.agentId };
        break;
      case 'CaseOfferDeclined':
      case 'CaseOfferExpired':
        set = { status: 'queued', offeredTo: null };
        break;
      case 'CaseAssigned':
        set = { status: 'assigned', offeredTo: null, assigneeId: event.data.assigneeId };
        break;
      case 'CaseReassigned':
        set = { assigneeId: event.data.assigneeId };
        break;
      case 'CasePrioritised':
        set = { priority: event.data.priority };
        break;
      case 'CaseResolved':
        set = { status: 'resolved', offeredTo: null, resolvedAt: event.data.at };
        break;
      case 'CaseOverflowed':
        set = 'queueId' in event.data.to ? { queueId: event.data.to.queueId } : {};
        break;
      case 'CaseSlaAtRisk':
      case 'CaseSlaBreached':
      case 'CaseFrameworkWarningRecorded':
        // Not shown in this view; the revision still moves on.
        set = {};
        break;
      default:
        return assertNever(event);
    }
    return (await applyIfNewer(this.cases, id, recorded.revision, set)) === 'applied' ? 'applied' : 'skipped';
  }

  /*
   * The decision document is written before the case document: a crash between the two
   * re-applies the event (the case's revision guard has not moved), and the insert is then a
   * duplicate key, which means "written before".
   */
  private async recordDecision(caseId: string, recorded: RecordedEvent, event: CaseEvent): Promise<void> {
    if (event.type === 'CaseRegistered') {
      this.remember(caseId, { queueId: event.data.queueId, unitId: event.data.unitId });
      return;
    }
    const decision = decisionOf(event);
    if (!decision) return;
    const place = await this.place(caseId);
    if (!place) return;
    const { stamp } = decision;
    const doc: DecisionDocument = {
      _id: `${caseId}:${recorded.revision}`,
      caseId,
      ...place,
      kind: decision.kind,
      authority: decision.authority,
      actorId: stamp.actorId,
      subjectId: decision.subjectId,
      basis: stamp.basis,
      mandateId: stamp.mandateId,
      mandateVersion: stamp.mandateVersion,
      at: decision.at,
      reason: decision.reason,
    };
    try {
      await this.decisions.create(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    if (event.type === 'CaseOverflowed' && 'queueId' in event.data.to) this.remember(caseId, { ...place, queueId: event.data.to.queueId });
  }

  private async place(caseId: string): Promise<{ queueId: string; unitId: string } | undefined> {
    const cached = this.placeOf.get(caseId);
    if (cached) return cached;
    const doc = await this.cases.findById(caseId, { queueId: 1, unitId: 1 }).lean<Pick<CaseDocument, 'queueId' | 'unitId'>>().exec();
    if (!doc) return undefined;
    const place = { queueId: doc.queueId, unitId: doc.unitId };
    this.remember(caseId, place);
    return place;
  }

  private remember(caseId: string, place: { queueId: string; unitId: string }): void {
    this.placeOf.delete(caseId);
    this.placeOf.set(caseId, place);
    if (this.placeOf.size > 10_000) {
      const oldest = this.placeOf.keys().next().value;
      if (oldest !== undefined) this.placeOf.delete(oldest);
    }
  }

  /** Decisions in `[from, to)`, of one unit or all, oldest first; at most MAX_DECISIONS. */
  async decisionsBetween(query: { readonly unitId?: string; readonly from?: string; readonly to?: string }): Promise<DecisionDocument[]> {
    const at: Record<string, string> = {};
    if (query.from) at['$gte'] = query.from;
    if (query.to) at['$lt'] = query.to;
    const filter: Record<string, unknown> = {};
    if (query.unitId) filter['unitId'] = query.unitId;
    if (Object.keys(at).length > 0) filter['at'] = at;
    return this.decisions.find(filter).sort({ at: 1 }).limit(MAX_DECISIONS).lean<DecisionDocument[]>().exec();
  }

  /** One case, or undefined when the read model has not seen it (yet). */
  async find(caseId: string): Promise<CaseView | undefined> {
    const doc = await this.cases.findById(caseId).lean<CaseDocument>().exec();
    return doc ? view(doc) : undefined;
  }

  /** The newest cases first, optionally of one queue, status or assignee; at most MAX_CASE_PAGE. */
  async list(query: { readonly queueId?: string; readonly status?: CaseStatus; readonly assigneeId?: string; readonly limit: number }): Promise<CaseView[]> {
    const filter: Record<string, string> = {};
    if (query.queueId) filter['queueId'] = query.queueId;
    if (query.status) filter['status'] = query.status;
    if (query.assigneeId) filter['assigneeId'] = query.assigneeId;
    const docs = await this.cases
      .find(filter)
      .sort({ receivedAt: -1 })
      .limit(Math.min(query.limit, MAX_CASE_PAGE))
      .lean<CaseDocument[]>()
      .exec();
    return docs.map(view);
  }
}
