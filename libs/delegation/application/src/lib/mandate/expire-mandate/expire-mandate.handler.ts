import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import type { ScheduledMandateInput } from '../activate-mandate/activate-mandate.handler';
import { executeMandateCommand, type MandateCommandResult } from '../mandate-command.executor';

/** Scheduler: ends a mandate whose period ran out. */
export class ExpireMandateHandler implements UseCase<ScheduledMandateInput, MandateCommandResult> {
  constructor(private readonly store: EventStore) {}

  execute(input: ScheduledMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    return executeMandateCommand(this.store, input, context, {
      command: () => ({ type: 'ExpireMandate', data: { mandateId: input.mandateId, actorId: context.actorId, at: input.at } }),
    });
  }
}
