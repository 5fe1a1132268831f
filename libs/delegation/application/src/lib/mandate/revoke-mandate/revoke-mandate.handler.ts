import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import { DelegationFacts } from '../../facts/delegation.facts';
import type { UseCase } from '../../use-case';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from '../mandate-command.executor';
import { existingMandate } from '../mandate.facts';

export interface RevokeMandateInput extends MandateCommandInput {
  readonly reason: string;
}

/** A manager of the mandate's unit ends it. */
export class RevokeMandateHandler implements UseCase<RevokeMandateInput, MandateCommandResult> {
  private readonly facts: DelegationFacts;

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {
    this.facts = new DelegationFacts(store);
  }

  execute(input: RevokeMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: async (state) => {
        const actorManagesUnit = await this.facts.managesUnit(context.actorId, existingMandate(state, input.mandateId).scope.unitId);
        return { type: 'RevokeMandate', data: { mandateId: input.mandateId, reason: input.reason, actorId: context.actorId, at, context: { actorManagesUnit } } };
      },
    });
  }
}
