import { Schema, type Connection, type Model } from 'mongoose';
import { toDomainEvent, type RecordedEvent } from '@leadership/event-store';
import { assertNever, idOf } from '@leadership/kernel';
import { applyIfNewer, modelOn, type ApplyResult, type ProjectedReadModel } from '@leadership/projection';
import { PLAN_STREAM_CATEGORY, planDecider, type PlanStatus } from '@leadership/onboarding-domain';

/** `plans`: the current state of one plan, with the stream revision it shows. */
export type PlanDocument = {
  _id: string;
  /** Stream revision of the last applied event (the plan's version, its ETag). */
  revision: number;
  title: string;
  status: PlanStatus;
  registeredAt: string;
  registeredBy: string;
  closedAt: string | null;
};

/** A plan as the read model answers it. */
export type PlanView = Omit<PlanDocument, '_id' | 'revision'> & { readonly planId: string; readonly version: number };

const planSchema = new Schema<PlanDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    title: { type: String, required: true },
    status: { type: String, enum: ['open', 'closed'], required: true },
    registeredAt: { type: String, required: true },
    registeredBy: { type: String, required: true },
    closedAt: { type: String, default: null },
  },
  { versionKey: false, collection: 'plans' },
);
// Lists filter by status, newest first; a simple index FerretDB serves too.
planSchema.index({ status: 1, registeredAt: -1 });

/** Longest page of a list (bounded answers; FerretDB scans whole collections on other queries). */
export const MAX_PLAN_PAGE = 100;

const view = (doc: PlanDocument): PlanView => {
  const { _id, revision, ...rest } = doc;
  return { planId: _id, version: revision, ...rest };
};

/**
 * The plan read model, kept by a Projector from the event store. Each event writes one
 * document through `applyIfNewer` (guarded by the stream revision), so redelivery and replays
 * are harmless and no transaction is needed. Every event carries what its write needs: no read
 * before the write.
 */
export class PlanReadModel implements ProjectedReadModel {
  readonly name = 'onboarding-plans';
  /** Bump when the stored shape changes: the projector then rebuilds the read model from the store. */
  readonly version = 1;
  readonly categories = [PLAN_STREAM_CATEGORY];
  readonly plans: Model<PlanDocument>;

  constructor(connection: Connection) {
    this.plans = modelOn(connection, 'OnboardingPlan', planSchema);
  }

  async init(): Promise<void> {
    await this.plans.createIndexes();
  }

  async reset(): Promise<void> {
    await this.plans.deleteMany({}).exec();
  }

  async apply(recorded: RecordedEvent): Promise<ApplyResult> {
    const id = idOf(recorded.streamName);
    // Through the decider as the one reader: an upcaster added there applies here too.
    const event = toDomainEvent(planDecider, recorded);
    let set: Partial<PlanDocument>;
    switch (event.type) {
      case 'PlanRegistered':
        set = { title: event.data.title, status: 'open', registeredAt: event.data.at, registeredBy: event.data.actorId, closedAt: null };
        break;
      case 'PlanClosed':
        set = { status: 'closed', closedAt: event.data.at };
        break;
      default:
        return assertNever(event);
    }
    return (await applyIfNewer(this.plans, id, recorded.revision, set)) === 'applied' ? 'applied' : 'skipped';
  }

  /** One plan, or undefined when the read model has not seen it (yet). */
  async find(planId: string): Promise<PlanView | undefined> {
    const doc = await this.plans.findById(planId).lean<PlanDocument>().exec();
    return doc ? view(doc) : undefined;
  }

  /** The newest plans first, optionally of one status; at most MAX_PLAN_PAGE. */
  async list(query: { readonly status?: PlanStatus; readonly limit: number }): Promise<PlanView[]> {
    const docs = await this.plans
      .find(query.status ? { status: query.status } : {})
      .sort({ registeredAt: -1 })
      .limit(Math.min(query.limit, MAX_PLAN_PAGE))
      .lean<PlanDocument[]>()
      .exec();
    return docs.map(view);
  }
}
