import type { ExpectedRevision } from './event-store.port';

/** Revision of a stream's last event, or 'no_stream' when it has none. */
export type CurrentRevision = number | 'no_stream';

/** Whether a stream at `current` satisfies `expected` (the optimistic concurrency check). */
export function matchesExpectedRevision(expected: ExpectedRevision, current: CurrentRevision): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 'no_stream';
    case 'stream_exists':
      return current !== 'no_stream';
    default:
      return current === expected;
  }
}

/**
 * Refuses an expected revision no adapter can honour. A programming error, not a conflict: a
 * negative or fractional revision would otherwise surface as a confusing WrongExpectedRevision.
 */
export function assertExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expected revision must be 'any', 'no_stream', 'stream_exists' or an integer >= 0, got ${String(expected)}`);
  }
}
