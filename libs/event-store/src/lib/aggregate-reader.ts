import type { Decider, DomainEvent } from '@leadership/kernel';
import type { ReadOnlyEventStore, RecordedEvent } from './event-store.port';

/**
 * How to read one kind of aggregate from its stream: its fold (a decider's `evolve` and
 * `initialState`) and, optionally, its upcaster. The upcaster is the one place where a stored
 * event of any historical shape becomes today's event type; every reader of the aggregate
 * (command handling, projections, the relay's mapper, audit replay) goes through it.
 */
export interface AggregateReader<Event extends DomainEvent, State> extends Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'> {
  /** Stored event → domain event. Default: its type and data as stored. */
  readonly upcast?: (event: RecordedEvent) => Event;
}

/** An aggregate as read from its stream. */
export interface LoadedAggregate<State> {
  readonly state: State;
  /** Revision of the stream's last event; -1 for a stream that does not exist. */
  readonly revision: number;
  /** The stored events folded into `state` (for callers that also need their metadata). */
  readonly events: readonly RecordedEvent[];
}

/** The domain event a stored event stands for (through the reader's upcaster). */
export function toDomainEvent<Event extends DomainEvent, State>(reader: AggregateReader<Event, State>, recorded: RecordedEvent): Event {
  return reader.upcast ? reader.upcast(recorded) : ({ type: recorded.type, data: recorded.data } as Event);
}

/** Folds one more stored event into a state (projections and the relay keep state per stream this way). */
export function evolveRecorded<Event extends DomainEvent, State>(reader: AggregateReader<Event, State>, state: State, recorded: RecordedEvent): State {
  return reader.evolve(state, toDomainEvent(reader, recorded));
}

/** Folds stored events from the initial state. */
export function foldRecorded<Event extends DomainEvent, State>(reader: AggregateReader<Event, State>, events: readonly RecordedEvent[]): State {
  let state = reader.initialState();
  for (const event of events) state = evolveRecorded(reader, state, event);
  return state;
}

/** Reads a stream and folds it: the one way an aggregate's current state is loaded. */
export async function readAggregate<Event extends DomainEvent, State>(
  store: Pick<ReadOnlyEventStore, 'readStream'>,
  reader: AggregateReader<Event, State>,
  streamName: string,
): Promise<LoadedAggregate<State>> {
  const events = await store.readStream(streamName);
  return { state: foldRecorded(reader, events), revision: events.length - 1, events };
}
