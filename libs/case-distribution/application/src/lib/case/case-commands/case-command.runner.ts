import { handleCommand, readAggregate, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { caseDecider, CaseNotFoundError, caseStreamName, type CaseCommand, type ExistingCase } from '@leadership/case-distribution-domain';
import { toCaseCommandResult, type CaseCommandResult } from '../case-command.result';

/** The case as its stream says now, with its version; CaseNotFoundError when there is none. */
export async function loadCase(store: EventStore, caseId: string): Promise<{ state: ExistingCase; version: number }> {
  const { state, revision } = await readAggregate(store, caseDecider, caseStreamName(caseId));
  if (state.status === 'none') throw new CaseNotFoundError(caseId);
  return { state, version: revision };
}

/**
 * Decides `command` on the case at `version` (the state the facts were gathered from; a change
 * meanwhile is a 409, never a decision on facts that no longer hold) and appends the outcome.
 */
export async function runCaseCommand(store: EventStore, caseId: string, command: CaseCommand, context: CommandContext, version: number): Promise<CaseCommandResult> {
  const stream = caseStreamName(caseId);
  try {
    const result = await handleCommand(store, stream, caseDecider, command, { expectedRevision: version, metadata: metadataFor(context, stream) });
    return toCaseCommandResult(caseId, result);
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError && error.actual === 'no_stream') throw new CaseNotFoundError(caseId);
    throw error;
  }
}

/** The caller's If-Match must name the version the facts come from; without one the current version is used. */
export function versionToDecideOn(current: number, expectedVersion: number | undefined, stream: string): number {
  if (expectedVersion !== undefined && expectedVersion !== current) throw new WrongExpectedRevisionError(stream, expectedVersion, current);
  return current;
}
