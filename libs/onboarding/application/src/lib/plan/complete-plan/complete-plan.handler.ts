import { handleCommand, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { planDecider, planStreamName, PlanNotFoundError, type CompletePlan, type DecisionStamp } from '@leadership/onboarding-domain';
import { toPlanCommandResult, type PlanCommandResult } from '../plan-command.result';

export interface CompletePlanInput {
  readonly newcomerId: string;
  /** The authority the caller acts on (from the authority check). */
  readonly stamp: DecisionStamp;
  /** The plan version (stream revision) the caller saw, from If-Match; omitted: the current one. */
  readonly expectedVersion?: number;
}

/** Completes a generated plan (every step stays); completing a completed one changes nothing. */
export class CompletePlanHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: CompletePlanInput, context: CommandContext): Promise<PlanCommandResult> {
    const stream = planStreamName(input.newcomerId);
    const command: CompletePlan = { type: 'CompletePlan', data: { newcomerId: input.newcomerId, at: this.now().toISOString(), stamp: input.stamp } };
    try {
      const result = await handleCommand(this.store, stream, planDecider, command, {
        metadata: metadataFor(context, stream),
        ...(input.expectedVersion !== undefined ? { expectedRevision: input.expectedVersion } : {}),
      });
      return toPlanCommandResult(input.newcomerId, result);
    } catch (error) {
      // A version given for a plan that does not exist: it is not found, not a conflict.
      if (error instanceof WrongExpectedRevisionError && error.actual === 'no_stream') throw new PlanNotFoundError(input.newcomerId);
      throw error;
    }
  }
}
