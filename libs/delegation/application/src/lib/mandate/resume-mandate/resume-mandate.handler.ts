import type { ManagerContext, ResumeMandate } from '@leadership/delegation-domain';
import { ManagerCommandHandler } from '../mandate-command.handler';
import type { MandateCommandInput } from '../mandate-command.executor';

/** A manager of the mandate's unit lifts a suspension. */
export class ResumeMandateHandler extends ManagerCommandHandler<MandateCommandInput> {
  protected command({ mandateId }: MandateCommandInput, actorId: string, at: string, context: ManagerContext): ResumeMandate {
    return { type: 'ResumeMandate', data: { mandateId, actorId, at, context } };
  }
}
