import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { executeMandateCommand, type MandateCommandResult } from '../mandate-command.executor';

/** A scheduled action: the mandate and the instant the scheduler acts at. */
export interface ScheduledMandateInput {
  readonly mandateId: string;
  readonly at: string;
}

/** Scheduler: puts an accepted mandate in force at its start. */
export class ActivateMandateHandler implements UseCase<ScheduledMandateInput, MandateCommandResult> {
  constructor(private readonly store: EventStore) {}

  execute(input: ScheduledMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    return executeMandateCommand(this.store, input, context, {
      command: () => ({ type: 'ActivateMandate', data: { mandateId: input.mandateId, actorId: context.actorId, at: input.at } }),
    });
  }
}
