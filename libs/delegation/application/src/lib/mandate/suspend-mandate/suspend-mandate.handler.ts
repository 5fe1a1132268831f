import type { ManagerContext, SuspendMandate } from '@leadership/delegation-domain';
import { ManagerCommandHandler } from '../mandate-command.handler';
import type { MandateCommandInput } from '../mandate-command.executor';

export interface SuspendMandateInput extends MandateCommandInput {
  readonly reason: string;
}

/** A manager of the mandate's unit puts an active mandate on hold. */
export class SuspendMandateHandler extends ManagerCommandHandler<SuspendMandateInput> {
  protected command({ mandateId, reason }: SuspendMandateInput, actorId: string, at: string, context: ManagerContext): SuspendMandate {
    return { type: 'SuspendMandate', data: { mandateId, reason, actorId, at, context } };
  }
}
