import type { EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { executeMandateCommand, type MandateCommandInput, type MandateCommandResult } from '../mandate-command.executor';

export interface RecordCheckInInput extends MandateCommandInput {
  readonly note: string;
}

/** Delegate or delegator records a review conversation; the next review is due a cadence later. */
export class RecordCheckInHandler implements UseCase<RecordCheckInInput, MandateCommandResult> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  execute(input: RecordCheckInInput, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.now().toISOString();
    return executeMandateCommand(this.store, input, context, {
      command: () => ({ type: 'RecordCheckIn', data: { mandateId: input.mandateId, note: input.note, actorId: context.actorId, at } }),
    });
  }
}
