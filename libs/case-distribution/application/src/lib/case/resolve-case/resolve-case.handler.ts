import { handleCommand, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { caseDecider, caseStreamName, CaseNotFoundError, type ResolveCase } from '@leadership/case-distribution-domain';
import { toCaseCommandResult, type CaseCommandResult } from '../case-command.result';

export interface ResolveCaseInput {
  readonly caseId: string;
  readonly resolution?: string;
  /** The case version (stream revision) the caller saw, from If-Match; omitted: the current one. */
  readonly expectedVersion?: number;
}

/** Resolves an assigned case; resolving a resolved one changes nothing. */
export class ResolveCaseHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(input: ResolveCaseInput, context: CommandContext): Promise<CaseCommandResult> {
    const stream = caseStreamName(input.caseId);
    const command: ResolveCase = {
      type: 'ResolveCase',
      data: {
        caseId: input.caseId,
        actorId: context.actorId,
        at: this.now().toISOString(),
        ...(input.resolution !== undefined ? { resolution: input.resolution } : {}),
      },
    };
    try {
      const result = await handleCommand(this.store, stream, caseDecider, command, {
        metadata: metadataFor(context, stream),
        ...(input.expectedVersion !== undefined ? { expectedRevision: input.expectedVersion } : {}),
      });
      return toCaseCommandResult(input.caseId, result);
    } catch (error) {
      // A version given for a case that does not exist: it is not found, not a conflict.
      if (error instanceof WrongExpectedRevisionError && error.actual === 'no_stream') throw new CaseNotFoundError(input.caseId);
      throw error;
    }
  }
}
