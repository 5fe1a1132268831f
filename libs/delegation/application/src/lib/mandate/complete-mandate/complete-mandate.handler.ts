import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import { DelegationFacts } from '../../facts/delegation.facts';
import type { UseCase } from '../../use-case';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from '../mandate-command.executor';
import { existingMandate } from '../mandate.facts';

export interface CompleteMandateInput extends MandateCommandInput {
  readonly note?: string;
}

/** A manager of the mandate's unit ends it because its task is done. */
export class CompleteMandateHandler implements UseCase<CompleteMandateInput, MandateCommandResult> {
  private readonly facts: DelegationFacts;

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {
    this.facts = new DelegationFacts(store);
  }

  execute(input: CompleteMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: async (state) => {
        const actorManagesUnit = await this.facts.managesUnit(context.actorId, existingMandate(state, input.mandateId).scope.unitId);
        const note = input.note !== undefined ? { note: input.note } : {};
        return { type: 'CompleteMandate', data: { mandateId: input.mandateId, ...note, actorId: context.actorId, at, context: { actorManagesUnit } } };
      },
    });
  }
}
