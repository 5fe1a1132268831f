import type { RecordCheckIn } from '@leadership/delegation-domain';
import { MandateCommandHandler } from '../mandate-command.handler';
import type { MandateCommandInput } from '../mandate-command.executor';

export interface RecordCheckInInput extends MandateCommandInput {
  readonly note: string;
}

/** Delegate or delegator records a review conversation; the next review is due a cadence later. */
export class RecordCheckInHandler extends MandateCommandHandler<RecordCheckInInput> {
  protected command({ mandateId, note }: RecordCheckInInput, actorId: string, at: string): RecordCheckIn {
    return { type: 'RecordCheckIn', data: { mandateId, note, actorId, at } };
  }
}
