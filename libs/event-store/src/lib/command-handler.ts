import { randomUUID } from 'node:crypto';
import type { Decider, DomainEvent, EventMetadataDraft } from '@leadership/kernel';
import { readAggregate } from './aggregate-reader';
import { WrongExpectedRevisionError } from './event-store.errors';
import type { EventStore, ExpectedRevision, NewEvent, RecordedEvent } from './event-store.port';
import { matchesExpectedRevision, type CurrentRevision } from './expected-revision';

/** Options of {@link handleCommand}. */
export interface HandleCommandOptions<Event extends DomainEvent> {
  /**
   * The revision the caller based its command on (e.g. from an If-Match header). When given, a
   * stream at another revision is a conflict reported at once, without retry: the caller decided
   * on a state that is gone. When omitted, the handler uses the revision it loaded and retries.
   */
  readonly expectedRevision?: ExpectedRevision;
  /**
   * Metadata of each new event (eventId, correlation and causation ids, actor, traceparent…).
   * An event without an eventId gets a random one. Deterministic ids (e.g. derived from the
   * command's idempotency key, see the kernel's `metadataFor`) make a retried command
   * idempotent at the store.
   */
  readonly metadata?: (event: Event, index: number) => EventMetadataDraft;
  /**
   * How many times to reload, decide again and re-append after a concurrent write, when no
   * expectedRevision was given. Default 3; then the WrongExpectedRevisionError is thrown.
   */
  readonly retries?: number;
  /**
   * Turns a stored event into the decider's event (upcasting old shapes; see AggregateReader).
   * Default: its type and data as stored.
   */
  readonly upcast?: (event: RecordedEvent) => Event;
}

/** What {@link handleCommand} did. */
export interface HandleCommandResult<Event, State> {
  /** The events decided and appended; empty when the command changed nothing. */
  readonly newEvents: readonly Event[];
  /** The state after them. */
  readonly newState: State;
  /** Revision of the stream's last event now ('no_stream' when it is still empty): the next expected revision. */
  readonly nextExpectedRevision: number | 'no_stream';
  /** Global position of the last appended event; undefined when nothing was appended. */
  readonly position: bigint | undefined;
  /** How many times the command was decided (1 + retries used). */
  readonly attempts: number;
}

const DEFAULT_RETRIES = 3;

/**
 * Runs a command through a decider against one stream: load the stream, fold it into state,
 * decide, append the new events with the loaded revision as the expected one. A decide that
 * returns no events appends nothing. Domain rule errors thrown by decide propagate unchanged.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  options: HandleCommandOptions<Event> = {},
): Promise<HandleCommandResult<Event, State>> {
  const retries = options.expectedRevision === undefined ? Math.max(0, options.retries ?? DEFAULT_RETRIES) : 0;
  const reader = {
    evolve: (s: State, e: Event) => decider.evolve(s, e),
    initialState: () => decider.initialState(),
    ...(options.upcast ? { upcast: options.upcast } : {}),
  };
  const metadata = options.metadata ?? ((): EventMetadataDraft => ({}));
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await readAggregate(store, reader, streamName);
    const current: CurrentRevision = revision < 0 ? 'no_stream' : revision;
    // Deciding on a state the caller did not see would be wrong even if the append succeeded.
    if (options.expectedRevision !== undefined && !matchesExpectedRevision(options.expectedRevision, current)) {
      throw new WrongExpectedRevisionError(streamName, options.expectedRevision, current);
    }
    const newEvents = decider.decide(command, state);
    if (newEvents.length === 0) {
      return { newEvents, newState: state, nextExpectedRevision: current, position: undefined, attempts: attempt };
    }
    const toAppend: NewEvent[] = newEvents.map((event, index) => {
      const draft = metadata(event, index);
      return { type: event.type, data: event.data, metadata: { ...draft, eventId: draft.eventId ?? randomUUID() } };
    });
    try {
      // Always the loaded revision, never 'any': the decision is valid only for the state it saw.
      const result = await store.appendToStream(streamName, toAppend, current);
      const newState = newEvents.reduce((s, event) => decider.evolve(s, event), state);
      return { newEvents, newState, nextExpectedRevision: result.nextExpectedRevision, position: result.position, attempts: attempt };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt > retries) throw error;
    }
  }
}
