import { randomUUID } from 'node:crypto';
import { type EventStore, type ExpectedRevision, type NewEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { HashChainedEventStore } from '@leadership/audit';
import { directoryStreams, interleaveByTime, mandateStreams, type WorldEvent, type WorldOptions, type WorldStream } from './delegation-world.generator';

/** The event as the service would append it: metadata with a fresh id, the actor and a correlation id. */
export function toNewEvent(event: WorldEvent): NewEvent {
  const actor = (event.data as { readonly actorId?: unknown }).actorId;
  return {
    type: event.type,
    data: event.data,
    metadata: { eventId: randomUUID(), correlationId: randomUUID(), ...(typeof actor === 'string' ? { actor } : {}) },
  };
}

/**
 * Appends a time-ordered log one event per append, each with the exact expected revision, so
 * that $all holds the streams interleaved as a live system would have written them.
 */
export async function appendInterleaved(store: EventStore, log: readonly { readonly streamName: string; readonly event: WorldEvent }[]): Promise<void> {
  const revisions = new Map<string, number>();
  for (const { streamName, event } of log) {
    const expected: ExpectedRevision = revisions.get(streamName) ?? 'no_stream';
    const result = await store.appendToStream(streamName, [toNewEvent(event)], expected);
    revisions.set(streamName, result.nextExpectedRevision);
  }
}

/** Appends each stream as one batch (fast: one transaction per stream). */
export async function appendStreams(store: EventStore, streams: Iterable<WorldStream>): Promise<number> {
  let events = 0;
  for (const stream of streams) {
    await store.appendToStream(stream.streamName, stream.events.map(toNewEvent), 'no_stream');
    events += stream.events.length;
  }
  return events;
}

/**
 * Creates a hash-chained SQLite store at `file` holding the world's directory and `mandates`
 * mandate streams, interleaved by time; closes it (checkpointing the WAL into the file, so a
 * plain copy of the file holds every event) and returns the log it wrote.
 */
export async function writeWorldStore(file: string, world: WorldOptions, mandates: number): Promise<{ readonly log: ReturnType<typeof interleaveByTime>; readonly streams: readonly WorldStream[] }> {
  const streams = [...directoryStreams(world), ...mandateStreams(world, mandates)];
  const log = interleaveByTime(streams);
  const store = new HashChainedEventStore(new SqliteEventStore(file, { synchronous: 'NORMAL' }));
  try {
    await appendInterleaved(store, log);
  } finally {
    await store.close();
  }
  return { log, streams };
}
