import type { RelinquishMandate } from '@leadership/delegation-domain';
import { MandateCommandHandler } from '../mandate-command.handler';
import type { MandateCommandInput } from '../mandate-command.executor';

export interface RelinquishMandateInput extends MandateCommandInput {
  readonly reason: string;
}

/** The delegate gives the mandate back. */
export class RelinquishMandateHandler extends MandateCommandHandler<RelinquishMandateInput> {
  protected command({ mandateId, reason }: RelinquishMandateInput, actorId: string, at: string): RelinquishMandate {
    return { type: 'RelinquishMandate', data: { mandateId, reason, actorId, at } };
  }
}
