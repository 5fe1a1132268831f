/**
 * How far a service's authority projection may be behind the delegation event store (brief §6, the
 * freshness rule: an answer that grants authority is never staler than a configured bound behind
 * the event store). Measured from catch-up probes of the delegation topics and the delegation
 * relay's progress reports, which vouch that everything committed before a moment is on the topics
 * (CatchUpTracker): a relay that stops or falls behind makes the projection stale too.
 */
export interface AuthorityFreshness {
  /** True when `stalenessMs` is within `boundMs`: grants may be answered. */
  readonly fresh: boolean;
  /**
   * How long ago the projection was last known to hold everything the delegation event store had
   * committed, in ms; null when it never was since start, or the consumer is stopped.
   */
  readonly stalenessMs: number | null;
  /** The configured bound (default 1000 ms). */
  readonly boundMs: number;
  /** The moment the projection was last known to be caught up (ISO-8601), or null. */
  readonly caughtUpAt: string | null;
  /** Why it is not fresh, in words an operator can act on; null when fresh. */
  readonly reason: string | null;
}

/** What tells a projection how fresh it is: the consumer that feeds it (AuthorityConsumer). */
export interface AuthorityFreshnessSource {
  freshness(): AuthorityFreshness;
}

/**
 * A grant was asked for while the projection is further behind the delegation event store than the
 * bound: it may not have seen a revocation or suspension yet. The guard answers 503 with
 * `Retry-After`; a handler that calls `mayFresh` should do the same (or retry shortly).
 */
export class AuthorityStaleError extends Error {
  override readonly name = 'AuthorityStaleError';
  constructor(readonly freshness: AuthorityFreshness) {
    super(
      `the authority projection is ${describeStaleness(freshness.stalenessMs)} behind the delegation event store, more than the ${freshness.boundMs} ms ` +
        `a grant may be answered from${freshness.reason ? ` (${freshness.reason})` : ''}`,
    );
  }

  /** How far behind, in ms (Infinity: never caught up since start, or stopped). */
  get stalenessMs(): number {
    return this.freshness.stalenessMs ?? Number.POSITIVE_INFINITY;
  }

  get boundMs(): number {
    return this.freshness.boundMs;
  }
}

/** "1234 ms", or what an unknown staleness means. */
export function describeStaleness(stalenessMs: number | null): string {
  return stalenessMs === null ? 'an unknown time (not caught up since start)' : `${stalenessMs} ms`;
}
