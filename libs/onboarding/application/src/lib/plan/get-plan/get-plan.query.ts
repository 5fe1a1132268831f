import { readAggregate, type ReadOnlyEventStore } from '@leadership/event-store';
import { planDecider, planStreamName, PlanNotFoundError, type ExistingPlan } from '@leadership/onboarding-domain';

/** A plan as its stream says (always current), with its version for the ETag. */
export interface PlanWithVersion {
  readonly plan: ExistingPlan;
  readonly version: number;
}

/** Reads one plan from its stream through the one reader (`readAggregate`). */
export class GetPlanQuery {
  constructor(private readonly store: Pick<ReadOnlyEventStore, 'readStream'>) {}

  async execute(planId: string): Promise<PlanWithVersion> {
    const { state, revision } = await readAggregate(this.store, planDecider, planStreamName(planId));
    if (state.status === 'none') throw new PlanNotFoundError(planId);
    return { plan: state, version: revision };
  }
}
