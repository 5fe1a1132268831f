import { Schema, type Connection, type Model } from 'mongoose';
import { toDomainEvent, type RecordedEvent } from '@leadership/event-store';
import { assertNever, idOf } from '@leadership/kernel';
import { applyIfNewer, modelOn, type ApplyResult, type ProjectedReadModel } from '@leadership/projection';
import { CASE_STREAM_CATEGORY, caseDecider, type CaseStatus, type Priority } from '@leadership/case-distribution-domain';

/** `cases`: the current state of one case, with the stream revision it shows. */
export type CaseDocument = {
  _id: string;
  /** Stream revision of the last applied event (the case's version, its ETag). */
  revision: number;
  queueId: string;
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

/** A case as the read model answers it. */
export type CaseView = Omit<CaseDocument, '_id' | 'revision'> & { readonly caseId: string; readonly version: number };

const caseSchema = new Schema<CaseDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    queueId: { type: String, required: true },
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
// Lists filter by status, newest first; a simple index FerretDB serves too.
caseSchema.index({ status: 1, receivedAt: -1 });

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
  readonly version = 2;
  readonly categories = [CASE_STREAM_CATEGORY];
  readonly cases: Model<CaseDocument>;

  constructor(connection: Connection) {
    this.cases = modelOn(connection, 'CaseDistributionCase', caseSchema);
  }

  async init(): Promise<void> {
    await this.cases.createIndexes();
  }

  async reset(): Promise<void> {
    await this.cases.deleteMany({}).exec();
  }

  async apply(recorded: RecordedEvent): Promise<ApplyResult> {
    const id = idOf(recorded.streamName);
    // Through the decider as the one reader: an upcaster added there applies here too.
    const event = toDomainEvent(caseDecider, recorded);
    let set: Partial<CaseDocument>;
    switch (event.type) {
      case 'CaseRegistered': {
        const { queueId, title, priority, receivedAt, actorId } = event.data;
        set = { queueId, title, status: 'queued', priority, receivedAt, registeredBy: actorId, offeredTo: null, assigneeId: null, resolvedAt: null };
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

  /** One case, or undefined when the read model has not seen it (yet). */
  async find(caseId: string): Promise<CaseView | undefined> {
    const doc = await this.cases.findById(caseId).lean<CaseDocument>().exec();
    return doc ? view(doc) : undefined;
  }

  /** The newest cases first, optionally of one status; at most MAX_CASE_PAGE. */
  async list(query: { readonly status?: CaseStatus; readonly limit: number }): Promise<CaseView[]> {
    const docs = await this.cases
      .find(query.status ? { status: query.status } : {})
      .sort({ receivedAt: -1 })
      .limit(Math.min(query.limit, MAX_CASE_PAGE))
      .lean<CaseDocument[]>()
      .exec();
    return docs.map(view);
  }
}
