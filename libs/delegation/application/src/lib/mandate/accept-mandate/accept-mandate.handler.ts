import type { AcceptMandate } from '@leadership/delegation-domain';
import { MandateCommandHandler } from '../mandate-command.handler';
import type { MandateCommandInput } from '../mandate-command.executor';

/** The delegate consents to a proposal, or to a pending expansion of authorities. */
export class AcceptMandateHandler extends MandateCommandHandler<MandateCommandInput> {
  protected command({ mandateId }: MandateCommandInput, actorId: string, at: string): AcceptMandate {
    return { type: 'AcceptMandate', data: { mandateId, actorId, at } };
  }
}
