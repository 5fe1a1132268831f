import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import { DelegationFacts } from '../../facts/delegation.facts';
import type { UseCase } from '../../use-case';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from '../mandate-command.executor';
import { existingMandate } from '../mandate.facts';

/** A formal manager confirms a mandate flagged for reconfirmation and becomes its delegator. */
export class ConfirmMandateHandler implements UseCase<MandateCommandInput, MandateCommandResult> {
  private readonly facts: DelegationFacts;

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {
    this.facts = new DelegationFacts(store);
  }

  execute(input: MandateCommandInput, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: async (state) => {
        const actorManagesUnit = await this.facts.managesUnit(context.actorId, existingMandate(state, input.mandateId).scope.unitId);
        return { type: 'ConfirmMandate', data: { mandateId: input.mandateId, actorId: context.actorId, at, context: { actorManagesUnit } } };
      },
    });
  }
}
