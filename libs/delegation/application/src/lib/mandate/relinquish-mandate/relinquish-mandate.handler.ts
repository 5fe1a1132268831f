import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from '../mandate-command.executor';

export interface RelinquishMandateInput extends MandateCommandInput {
  readonly reason: string;
}

/** The delegate gives the mandate back. */
export class RelinquishMandateHandler implements UseCase<RelinquishMandateInput, MandateCommandResult> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  execute(input: RelinquishMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: () => ({ type: 'RelinquishMandate', data: { mandateId: input.mandateId, reason: input.reason, actorId: context.actorId, at } }),
    });
  }
}
