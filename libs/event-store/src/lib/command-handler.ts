import { randomUUID } from 'node:crypto';
import type { Decider } from './decider';
import { WrongExpectedRevisionError } from './event-store.errors';
import type { EventMetadata, EventStore, ExpectedRevision, NewEvent, RecordedEvent } from './event-store.port';
import { matchesExpectedRevision, type CurrentRevision } from './expected-revision';

/** The shape of a domain event a decider emits: plain JSON data under a past-tense type. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

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
   * Default: a random eventId only. Deterministic ids (e.g. derived from the command id) make a
   * retried command idempotent at the store.
   */
  readonly metadata?: (event: Event, index: number) => EventMetadata;
  /**
   * How many times to reload, decide again and re-append after a concurrent write, when no
   * expectedRevision was given. Default 3; then the WrongExpectedRevisionError is thrown.
   */
  readonly retries?: number;
  /**
   * Turns a stored event into the decider's event (upcasting old shapes). Default: its type and
   * data as stored.
   */
  readonly toDomainEvent?: (event: RecordedEvent) => Event;
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
  const toDomainEvent = options.toDomainEvent ?? ((event: RecordedEvent) => ({ type: event.type, data: event.data }) as Event);
  const metadata = options.metadata ?? (() => ({ eventId: randomUUID() }));
  for (let attempt = 1; ; attempt++) {
    const stored = await store.readStream(streamName);
    let state = decider.initialState();
    for (const event of stored) state = decider.evolve(state, toDomainEvent(event));
    const current: CurrentRevision = stored.length === 0 ? 'no_stream' : (stored[stored.length - 1] as RecordedEvent).revision;
    // Deciding on a state the caller did not see would be wrong even if the append succeeded.
    if (options.expectedRevision !== undefined && !matchesExpectedRevision(options.expectedRevision, current)) {
      throw new WrongExpectedRevisionError(streamName, options.expectedRevision, current);
    }
    const newEvents = decider.decide(command, state);
    if (newEvents.length === 0) {
      return { newEvents, newState: state, nextExpectedRevision: current, position: undefined, attempts: attempt };
    }
    const toAppend: NewEvent[] = newEvents.map((event, index) => ({ type: event.type, data: event.data, metadata: metadata(event, index) }));
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
