import type { ConfirmMandate, ManagerContext } from '@leadership/delegation-domain';
import { ManagerCommandHandler } from '../mandate-command.handler';
import type { MandateCommandInput } from '../mandate-command.executor';

/** A formal manager confirms a mandate flagged for reconfirmation and becomes its delegator. */
export class ConfirmMandateHandler extends ManagerCommandHandler<MandateCommandInput> {
  protected command({ mandateId }: MandateCommandInput, actorId: string, at: string, context: ManagerContext): ConfirmMandate {
    return { type: 'ConfirmMandate', data: { mandateId, actorId, at, context } };
  }
}
