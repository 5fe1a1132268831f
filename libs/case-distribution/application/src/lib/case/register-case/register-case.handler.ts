import { handleCommand, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { caseDecider, caseStreamName, type RegisterCase } from '@leadership/case-distribution-domain';
import { toCaseCommandResult, type CaseCommandResult } from '../case-command.result';

export interface RegisterCaseInput {
  readonly caseId: string;
  readonly title: string;
}

/**
 * Registers a new case. With an idempotency key on the context the event id is derived
 * from it, so a retried request appends nothing the second time.
 */
export class RegisterCaseHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: RegisterCaseInput, context: CommandContext): Promise<CaseCommandResult> {
    const stream = caseStreamName(input.caseId);
    const command: RegisterCase = {
      type: 'RegisterCase',
      data: { caseId: input.caseId, actorId: context.actorId, at: this.now().toISOString(), title: input.title },
    };
    const result = await handleCommand(this.store, stream, caseDecider, command, { metadata: metadataFor(context, stream) });
    return toCaseCommandResult(input.caseId, result);
  }
}
