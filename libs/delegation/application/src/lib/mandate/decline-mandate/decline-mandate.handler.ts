import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from '../mandate-command.executor';

export interface DeclineMandateInput extends MandateCommandInput {
  readonly reason: string;
}

/** The delegate refuses a proposal, or a pending expansion of authorities. */
export class DeclineMandateHandler implements UseCase<DeclineMandateInput, MandateCommandResult> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  execute(input: DeclineMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: () => ({ type: 'DeclineMandate', data: { mandateId: input.mandateId, reason: input.reason, actorId: context.actorId, at } }),
    });
  }
}
