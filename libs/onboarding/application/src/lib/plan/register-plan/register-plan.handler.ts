import { handleCommand, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { planDecider, planStreamName, type RegisterPlan } from '@leadership/onboarding-domain';
import { toPlanCommandResult, type PlanCommandResult } from '../plan-command.result';

export interface RegisterPlanInput {
  readonly planId: string;
  readonly title: string;
}

/**
 * Registers a new plan. With an idempotency key on the context the event id is derived
 * from it, so a retried request appends nothing the second time.
 */
export class RegisterPlanHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: RegisterPlanInput, context: CommandContext): Promise<PlanCommandResult> {
    const stream = planStreamName(input.planId);
    const command: RegisterPlan = {
      type: 'RegisterPlan',
      data: { planId: input.planId, actorId: context.actorId, at: this.now().toISOString(), title: input.title },
    };
    const result = await handleCommand(this.store, stream, planDecider, command, { metadata: metadataFor(context, stream) });
    return toPlanCommandResult(input.planId, result);
  }
}
