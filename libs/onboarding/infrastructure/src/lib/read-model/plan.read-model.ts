import { Schema, type Connection, type Model } from 'mongoose';
import { toDomainEvent, type RecordedEvent } from '@leadership/event-store';
import { assertNever, idOf } from '@leadership/kernel';
import { applyIfNewer, modelOn, type ApplyResult, type ProjectedReadModel } from '@leadership/projection';
import { PLAN_STREAM_CATEGORY, planDecider, type PlanStatus } from '@leadership/onboarding-domain';

/**
 * `plans`: the header of one plan, with the stream revision it shows. The steps are read from the
 * plan's stream (`GetPlanQuery`, always current): an edit event carries one step, and rewriting an
 * array element by position is no single guarded write on FerretDB.
 */
export type PlanDocument = {
  _id: string;
  /** Stream revision of the last applied event (the plan's version, its ETag). */
  revision: number;
  unitId: string;
  status: PlanStatus;
  createdAt: string;
  startDate: string | null;
  timeZone: string | null;
  organiserId: string | null;
  completedAt: string | null;
};

/** A plan as the read model answers it. */
export type PlanView = Omit<PlanDocument, '_id' | 'revision'> & { readonly newcomerId: string; readonly version: number };

const planSchema = new Schema<PlanDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    unitId: { type: String, required: true },
    status: { type: String, enum: ['draft', 'active', 'completed'], required: true },
    createdAt: { type: String, required: true },
    startDate: { type: String, default: null },
    timeZone: { type: String, default: null },
    organiserId: { type: String, default: null },
    completedAt: { type: String, default: null },
  },
  { versionKey: false, collection: 'plans' },
);
// Lists filter by status, newest first; a simple index FerretDB serves too.
planSchema.index({ status: 1, createdAt: -1 });

/** Longest page of a list (bounded answers; FerretDB scans whole collections on other queries). */
export const MAX_PLAN_PAGE = 100;

const view = (doc: PlanDocument): PlanView => {
  const { _id, revision, ...rest } = doc;
  return { newcomerId: _id, version: revision, ...rest };
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
      case 'PlanDrafted':
        set = { unitId: event.data.unitId, status: 'draft', createdAt: event.data.at, startDate: null, timeZone: null, organiserId: null, completedAt: null };
        break;
      case 'PlanGenerated': {
        const { unitId, startDate, timeZone, organiserId } = event.data;
        // A generated draft keeps its creation instant: the revision guard makes this the first write only for a plan without a draft.
        set = { unitId, status: 'active', startDate, timeZone, organiserId, completedAt: null, ...(recorded.revision === 0 ? { createdAt: event.data.at } : {}) };
        break;
      }
      case 'PlanStepChanged':
      case 'PlanStepAdded':
      case 'PlanStepRemoved':
      case 'TaskCompleted':
        // Steps live in the stream; the header only takes the new version.
        set = {};
        break;
      case 'PlanCompleted':
        set = { status: 'completed', completedAt: event.data.at };
        break;
      case 'PlanHandedOver':
        set = { organiserId: event.data.toOrganiserId };
        break;
      default:
        return assertNever(event);
    }
    return (await applyIfNewer(this.plans, id, recorded.revision, set)) === 'applied' ? 'applied' : 'skipped';
  }

  /** One plan, or undefined when the read model has not seen it (yet). */
  async find(newcomerId: string): Promise<PlanView | undefined> {
    const doc = await this.plans.findById(newcomerId).lean<PlanDocument>().exec();
    return doc ? view(doc) : undefined;
  }

  /** The newest plans first, optionally of one status; at most MAX_PLAN_PAGE. */
  async list(query: { readonly status?: PlanStatus; readonly limit: number }): Promise<PlanView[]> {
    const docs = await this.plans
      .find(query.status ? { status: query.status } : {})
      .sort({ createdAt: -1 })
      .limit(Math.min(query.limit, MAX_PLAN_PAGE))
      .lean<PlanDocument[]>()
      .exec();
    return docs.map(view);
  }
}
