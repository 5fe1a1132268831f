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
