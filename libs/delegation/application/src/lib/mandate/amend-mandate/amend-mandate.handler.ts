import type { EventStore } from '@leadership/event-store';
import type { MandateAmendment } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import { DelegationFacts } from '../../facts/delegation.facts';
import type { UseCase } from '../../use-case';
import { assertFrameworkChecks, NO_FRAMEWORK_CHECKS, type FrameworkChecks } from '../framework-checks.port';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from '../mandate-command.executor';
import { existingMandate, taskTypeOrFail } from '../mandate.facts';

export interface AmendMandateInput extends MandateCommandInput {
  readonly changes: MandateAmendment;
}

/** A manager of the mandate's unit changes its terms; added authorities wait for the delegate's consent. */
export class AmendMandateHandler implements UseCase<AmendMandateInput, MandateCommandResult> {
  private readonly facts: DelegationFacts;

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly frameworkChecks: FrameworkChecks = NO_FRAMEWORK_CHECKS,
  ) {
    this.facts = new DelegationFacts(store);
  }

  async execute(input: AmendMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    assertFrameworkChecks(this.frameworkChecks, input.changes.framework?.rules);
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: async (state) => {
        const mandate = existingMandate(state, input.mandateId);
        const [actorManagesUnit, taskType] = await Promise.all([
          this.facts.managesUnit(context.actorId, mandate.scope.unitId),
          taskTypeOrFail(this.facts, mandate.taskType),
        ]);
        return {
          type: 'AmendMandate',
          data: { mandateId: input.mandateId, changes: input.changes, actorId: context.actorId, at, context: { actorManagesUnit, taskType } },
        };
      },
    });
  }
}
