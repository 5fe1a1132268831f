import type { ExpectedRevision } from './event-store.port';

/** Optimistic concurrency failed: the stream is not at the expected revision. Maps to HTTP 409. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamName} is at ${actual}, expected ${expected}`);
  }
}

/** The stream name is empty or malformed. */
export class InvalidStreamNameError extends Error {
  override readonly name = 'InvalidStreamNameError';
  constructor(readonly streamName: string, reason: string) {
    super(`invalid stream name "${streamName}": ${reason}`);
  }
}

/** An event cannot be stored as given (missing type or eventId, data not JSON-serialisable, …). */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(readonly reason: string) {
    super(`invalid event: ${reason}`);
  }
}

/**
 * Why an append was refused by {@link EventIdConflictError}:
 * - `partially_stored`: some events of the batch are already stored in this stream and some are
 *   not, so the batch is neither new nor a retry of an earlier append;
 * - `stored_in_other_stream`: an event id of the batch belongs to an event of another stream.
 */
export type EventIdConflict = 'partially_stored' | 'stored_in_other_stream';

/**
 * An append reused event ids in a way that is not an idempotent retry. Nothing was written.
 * (A batch whose event ids are all already stored in the same stream is a retry and succeeds.)
 */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  constructor(
    readonly streamName: string,
    readonly conflict: EventIdConflict,
    /** The event ids of the batch that are already stored. */
    readonly eventIds: readonly string[],
  ) {
    super(`append to ${streamName} refused (${conflict.replace(/_/g, ' ')}): event ids ${eventIds.join(', ')}`);
  }
}

/** The store was opened read-only (another process owns the writes). */
export class ReadOnlyEventStoreError extends Error {
  override readonly name = 'ReadOnlyEventStoreError';
  constructor(readonly operation: string) {
    super(`${operation} refused: the event store was opened read-only`);
  }
}
