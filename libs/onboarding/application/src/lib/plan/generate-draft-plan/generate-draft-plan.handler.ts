import { handleCommand, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { planDecider, planStreamName, type GenerateDraftPlan } from '@leadership/onboarding-domain';
import { toPlanCommandResult, type PlanCommandResult } from '../plan-command.result';

export interface GenerateDraftPlanInput {
  readonly newcomerId: string;
  readonly unitId: string;
}

/**
 * Drafts a plan for a newcomer (the directory announced a new member of a unit). A newcomer who
 * has a plan already keeps it: the command changes nothing then.
 */
export class GenerateDraftPlanHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: GenerateDraftPlanInput, context: CommandContext): Promise<PlanCommandResult> {
    const stream = planStreamName(input.newcomerId);
    const command: GenerateDraftPlan = {
      type: 'GenerateDraftPlan',
      data: { newcomerId: input.newcomerId, unitId: input.unitId, actorId: context.actorId, at: this.now().toISOString() },
    };
    const result = await handleCommand(this.store, stream, planDecider, command, { metadata: metadataFor(context, stream) });
    return toPlanCommandResult(input.newcomerId, result);
  }
}
