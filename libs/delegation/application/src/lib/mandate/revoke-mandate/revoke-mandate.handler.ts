import type { ManagerContext, RevokeMandate } from '@leadership/delegation-domain';
import { ManagerCommandHandler } from '../mandate-command.handler';
import type { MandateCommandInput } from '../mandate-command.executor';

export interface RevokeMandateInput extends MandateCommandInput {
  readonly reason: string;
}

/** A manager of the mandate's unit ends it. */
export class RevokeMandateHandler extends ManagerCommandHandler<RevokeMandateInput> {
  protected command({ mandateId, reason }: RevokeMandateInput, actorId: string, at: string, context: ManagerContext): RevokeMandate {
    return { type: 'RevokeMandate', data: { mandateId, reason, actorId, at, context } };
  }
}
