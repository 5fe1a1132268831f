import { randomUUID } from 'node:crypto';
import type { EventStore, ExpectedRevision, NewEvent } from '@leadership/event-store';
import type { WorldEvent, WorldStream } from './delegation-world.generator';

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
