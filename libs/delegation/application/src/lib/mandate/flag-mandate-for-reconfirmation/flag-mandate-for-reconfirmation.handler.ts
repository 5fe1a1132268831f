import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import type { ScheduledMandateInput } from '../activate-mandate/activate-mandate.handler';
import { executeMandateCommand, type MandateCommandResult } from '../mandate-command.executor';

/** Scheduler: the delegator no longer manages the unit; a formal manager must confirm or revoke. */
export class FlagMandateForReconfirmationHandler implements UseCase<ScheduledMandateInput, MandateCommandResult> {
  constructor(private readonly store: EventStore) {}

  execute(input: ScheduledMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    return executeMandateCommand(this.store, input, context, {
      command: () => ({
        type: 'FlagMandateForReconfirmation',
        data: { mandateId: input.mandateId, actorId: context.actorId, at: input.at, reason: 'delegator-no-longer-manages' },
      }),
    });
  }
}
