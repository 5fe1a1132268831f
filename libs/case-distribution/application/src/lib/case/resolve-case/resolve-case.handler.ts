import { handleCommand, readAggregate, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { caseDecider, caseStreamName, CaseNotFoundError, type ResolveCase } from '@leadership/case-distribution-domain';
import type { CaseAuthority } from '../../authority/case-authority.port';
import { toCaseCommandResult, type CaseCommandResult } from '../case-command.result';

export interface ResolveCaseInput {
  readonly caseId: string;
  readonly resolution?: string;
  /** The case version (stream revision) the caller saw, from If-Match; omitted: the current one. */
  readonly expectedVersion?: number;
}

/**
 * Resolves an assigned case; resolving a resolved one changes nothing. The assignee resolves
 * their own case; anyone else needs `cases.assign` for its queue (a case manager closing a case
 * for someone who left). Capacity freed by it goes to waiting cases at once (`changed`).
 */
export class ResolveCaseHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly authority?: CaseAuthority,
    private readonly changed: () => void = () => undefined,
  ) {}

  async execute(input: ResolveCaseInput, context: CommandContext): Promise<CaseCommandResult> {
    const stream = caseStreamName(input.caseId);
    if (this.authority) {
      const { state } = await readAggregate(this.store, caseDecider, stream);
      if (state.status === 'none') throw new CaseNotFoundError(input.caseId);
      if (state.assigneeId !== context.actorId) this.authority.authorise(context.actorId, 'cases.assign', { unitId: state.unitId, queueId: state.queueId });
    }
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
      if (result.newEvents.length > 0) this.changed();
      return toCaseCommandResult(input.caseId, result);
    } catch (error) {
      // A version given for a case that does not exist: it is not found, not a conflict.
      if (error instanceof WrongExpectedRevisionError && error.actual === 'no_stream') throw new CaseNotFoundError(input.caseId);
      throw error;
    }
  }
}
