import type { CompleteMandate, ManagerContext } from '@leadership/delegation-domain';
import { ManagerCommandHandler } from '../mandate-command.handler';
import type { MandateCommandInput } from '../mandate-command.executor';

export interface CompleteMandateInput extends MandateCommandInput {
  readonly note?: string;
}

/** A manager of the mandate's unit ends it because its task is done. */
export class CompleteMandateHandler extends ManagerCommandHandler<CompleteMandateInput> {
  protected command({ mandateId, note }: CompleteMandateInput, actorId: string, at: string, context: ManagerContext): CompleteMandate {
    return { type: 'CompleteMandate', data: { mandateId, ...(note !== undefined ? { note } : {}), actorId, at, context } };
  }
}
