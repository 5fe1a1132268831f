import { handleCommand, WrongExpectedRevisionError, type EventStore, type HandleCommandResult } from '@leadership/event-store';
import { DomainRuleError, metadataFor, type CommandContext, type Decider, type DomainEvent } from '@leadership/kernel';

/**
 * Runs one command on one aggregate stream through its decider (`handleCommand`: load, decide,
 * append at the loaded revision; retried on a concurrent write unless `expectedRevision` is given,
 * which is the caller's If-Match and is never retried).
 */
export function run<C, E extends DomainEvent, S>(
  store: EventStore,
  stream: string,
  decider: Decider<C, E, S>,
  command: C,
  context: CommandContext,
  expectedRevision?: number,
): Promise<HandleCommandResult<E, S>> {
  return handleCommand(store, stream, decider, command, { metadata: metadataFor(context, stream), ...(expectedRevision !== undefined ? { expectedRevision } : {}) });
}

/** The revision a command decided on, after it ran ('no_stream' cannot happen for commands that leave state). */
export const versionOf = (result: HandleCommandResult<unknown, unknown>): number => (typeof result.nextExpectedRevision === 'number' ? result.nextExpectedRevision : -1);

export const isVersionConflict = (error: unknown): error is WrongExpectedRevisionError => error instanceof WrongExpectedRevisionError;

/** A session already has a presenter request in progress: ask again once it is answered or ended. */
export class PresenterRequestPendingError extends DomainRuleError {
  override readonly name = 'PresenterRequestPendingError';
  constructor(readonly sessionId: string, readonly bookingId: string, readonly personId: string) {
    super('session.presenter-request-pending', `session ${sessionId} has an open request to ${personId} (booking ${bookingId})`, { sessionId, bookingId, personId });
  }
}

/** A skill address needs a skill directory, which this service does not have yet. */
export class PresenterUnresolvableError extends DomainRuleError {
  override readonly name = 'PresenterUnresolvableError';
  constructor(readonly sessionId: string, readonly problem: string) {
    super('session.presenter-unresolvable', `session ${sessionId}: ${problem}`, { sessionId, problem });
  }
}
