import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from '../mandate-command.executor';

/** The delegate consents to a proposal, or to a pending expansion of authorities. */
export class AcceptMandateHandler implements UseCase<MandateCommandInput, MandateCommandResult> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  execute(input: MandateCommandInput, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: () => ({ type: 'AcceptMandate', data: { mandateId: input.mandateId, actorId: context.actorId, at } }),
    });
  }
}
