import type { DeclineMandate } from '@leadership/delegation-domain';
import { MandateCommandHandler } from '../mandate-command.handler';
import type { MandateCommandInput } from '../mandate-command.executor';

export interface DeclineMandateInput extends MandateCommandInput {
  readonly reason: string;
}

/** The delegate refuses a proposal, or a pending expansion of authorities. */
export class DeclineMandateHandler extends MandateCommandHandler<DeclineMandateInput> {
  protected command({ mandateId, reason }: DeclineMandateInput, actorId: string, at: string): DeclineMandate {
    return { type: 'DeclineMandate', data: { mandateId, reason, actorId, at } };
  }
}
