import { handleCommand, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { planDecider, planStreamName, PlanNotFoundError, type ClosePlan } from '@leadership/onboarding-domain';
import { toPlanCommandResult, type PlanCommandResult } from '../plan-command.result';

export interface ClosePlanInput {
  readonly planId: string;
  readonly reason: string;
  /** The plan version (stream revision) the caller saw, from If-Match; omitted: the current one. */
  readonly expectedVersion?: number;
}

/** Closes an open plan; closing a closed one changes nothing. */
export class ClosePlanHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: ClosePlanInput, context: CommandContext): Promise<PlanCommandResult> {
    const stream = planStreamName(input.planId);
    const command: ClosePlan = {
      type: 'ClosePlan',
      data: { planId: input.planId, actorId: context.actorId, at: this.now().toISOString(), reason: input.reason },
    };
    try {
      const result = await handleCommand(this.store, stream, planDecider, command, {
        metadata: metadataFor(context, stream),
        ...(input.expectedVersion !== undefined ? { expectedRevision: input.expectedVersion } : {}),
      });
      return toPlanCommandResult(input.planId, result);
    } catch (error) {
      // A version given for a plan that does not exist: it is not found, not a conflict.
      if (error instanceof WrongExpectedRevisionError && error.actual === 'no_stream') throw new PlanNotFoundError(input.planId);
      throw error;
    }
  }
}
