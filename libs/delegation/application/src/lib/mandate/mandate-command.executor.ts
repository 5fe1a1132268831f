import { randomUUID } from 'node:crypto';
import { readAggregate, WrongExpectedRevisionError, type EventStore, type NewEvent } from '@leadership/event-store';
import {
  MandateNotFoundError,
  mandateDecider,
  mandateStreamName,
  type ExistingMandate,
  type MandateCommand,
  type MandateEvent,
  type MandateState,
} from '@leadership/delegation-domain';
import { metadataFor, type CommandContext } from '@leadership/kernel';

/** Names the mandate a command is for and, from an If-Match header, the version it is based on. */
export interface MandateCommandInput {
  readonly mandateId: string;
  /** The mandate version (stream revision) the caller saw; omitted: the current one. */
  readonly expectedVersion?: number;
}

/** The mandate after a command and its version (stream revision), for the ETag. */
export interface MandateCommandResult {
  readonly mandateId: string;
  readonly version: number;
  readonly mandate: ExistingMandate;
  /** Types of the events appended; empty when the command changed nothing. */
  readonly events: readonly MandateEvent['type'][];
}

/** How one mandate command is built from the loaded mandate and what must happen before its events are stored. */
export interface MandateCommandPlan<Command extends MandateCommand> {
  /** The command for the mandate as loaded: facts that depend on it (its unit, its task type) are read here, once. */
  readonly command: (mandate: MandateState) => Command | Promise<Command>;
  /**
   * Runs after the decider accepted the command and decided events (none runs for a no-op), before
   * they are appended; it may still refuse by throwing. The exclusive-scope claim lives here.
   */
  readonly beforeAppend?: (command: Command, mandate: MandateState) => Promise<void>;
}

/** Attempts after a concurrent write when the caller gave no version (same as the event store's handleCommand). */
const RETRIES = 3;

/**
 * Runs one mandate command: read the mandate stream once (`readAggregate`, the one fold), gather
 * the facts the command needs once, decide once, append the events with the revision that was
 * read. `handleCommand` cannot be used as is because the facts of a manager's command depend on
 * the mandate it loads (its unit); loading first and handing the state to handleCommand would
 * read the stream twice.
 *
 * With an expected version (If-Match) a stream at another revision is a conflict at once; without
 * one a concurrent write makes the whole command run again on the new state (facts included).
 */
export async function executeMandateCommand<Command extends MandateCommand>(
  store: EventStore,
  input: MandateCommandInput,
  context: CommandContext,
  plan: MandateCommandPlan<Command>,
): Promise<MandateCommandResult> {
  const { mandateId, expectedVersion } = input;
  const stream = mandateStreamName(mandateId);
  const metadata = metadataFor(context, stream);
  for (let attempt = 0; ; attempt++) {
    const { state, revision } = await readAggregate(store, mandateDecider, stream);
    if (expectedVersion !== undefined && expectedVersion !== revision) {
      // A version given for a mandate that does not exist: it is not found, not a conflict.
      if (state.status === 'none') throw new MandateNotFoundError(mandateId);
      throw new WrongExpectedRevisionError(stream, expectedVersion, revision);
    }
    const command = await plan.command(state);
    const events = mandateDecider.decide(command, state);
    if (events.length === 0) return resultOf(mandateId, state, revision, events);
    await plan.beforeAppend?.(command, state);
    const toAppend: NewEvent[] = events.map((event, index) => {
      const draft = metadata(event, index);
      return { type: event.type, data: event.data, metadata: { ...draft, eventId: draft.eventId ?? randomUUID() } };
    });
    try {
      const appended = await store.appendToStream(stream, toAppend, revision < 0 ? 'no_stream' : revision);
      const after = events.reduce((s, event) => mandateDecider.evolve(s, event), state);
      return resultOf(mandateId, after, appended.nextExpectedRevision, events);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || expectedVersion !== undefined || attempt >= RETRIES) throw error;
    }
  }
}

function resultOf(mandateId: string, state: MandateState, revision: number, events: readonly MandateEvent[]): MandateCommandResult {
  if (state.status === 'none' || revision < 0) throw new MandateNotFoundError(mandateId);
  return { mandateId, version: revision, mandate: state, events: events.map((e) => e.type) };
}
