import type { HandleCommandResult } from '@leadership/event-store';
import { PlanNotFoundError, type ExistingPlan, type PlanEvent, type PlanState } from '@leadership/onboarding-domain';

/** The plan after a command and its version (stream revision), for the ETag. */
export interface PlanCommandResult {
  readonly planId: string;
  readonly version: number;
  readonly plan: ExistingPlan;
  /** Types of the events appended; empty when the command changed nothing. */
  readonly events: readonly PlanEvent['type'][];
}

/** What `handleCommand` did, as the use cases answer it. */
export function toPlanCommandResult(planId: string, result: HandleCommandResult<PlanEvent, PlanState>): PlanCommandResult {
  const { newState, nextExpectedRevision } = result;
  // Every command either refuses, or leaves a plan behind; kept as a check rather than a cast.
  if (newState.status === 'none' || nextExpectedRevision === 'no_stream') throw new PlanNotFoundError(planId);
  return { planId, version: nextExpectedRevision, plan: newState, events: result.newEvents.map((event) => event.type) };
}
