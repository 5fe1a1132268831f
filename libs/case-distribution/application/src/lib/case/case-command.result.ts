import type { HandleCommandResult } from '@leadership/event-store';
import { CaseNotFoundError, type ExistingCase, type CaseEvent, type CaseState } from '@leadership/case-distribution-domain';

/** The case after a command and its version (stream revision), for the ETag. */
export interface CaseCommandResult {
  readonly caseId: string;
  readonly version: number;
  readonly case: ExistingCase;
  /** Types of the events appended; empty when the command changed nothing. */
  readonly events: readonly CaseEvent['type'][];
}

/** What `handleCommand` did, as the use cases answer it. */
export function toCaseCommandResult(caseId: string, result: HandleCommandResult<CaseEvent, CaseState>): CaseCommandResult {
  const { newState, nextExpectedRevision } = result;
  // Every command either refuses, or leaves a case behind; kept as a check rather than a cast.
  if (newState.status === 'none' || nextExpectedRevision === 'no_stream') throw new CaseNotFoundError(caseId);
  return { caseId, version: nextExpectedRevision, case: newState, events: result.newEvents.map((event) => event.type) };
}
