import type { ConsumerLag, ConsumerState } from '@leadership/messaging-kafka';
import { describeStaleness, type AuthorityFreshness } from '../projection/authority-freshness';

/** The consumer as the tracker needs to see it when asked how fresh the projection is. */
export interface ConsumerCondition {
  readonly state: ConsumerState;
  readonly lastError: string | null;
}

/** What the latest catch-up probe found. */
type ProbeOutcome =
  | { readonly kind: 'caught-up' }
  | { readonly kind: 'behind'; readonly messages: number }
  | { readonly kind: 'no-partitions' }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'not-running'; readonly state: ConsumerState; readonly error: string | null };

/**
 * Decides how stale the authority projection is — against the delegation **event store** — from
 * catch-up probes of the topics and the delegation relay's progress reports (pure; time comes from
 * the clock it is given, so the rules are tested with a fake one).
 *
 * A probe asks the brokers for the high watermark of every partition of the delegation topics and
 * compares it with the consumer's position (the later of what this process handled — applied to
 * the projection — and the group's committed offset). Once the position of every partition has
 * reached the high watermarks a probe got back, everything the brokers held **when that probe was
 * sent** is in the projection: the projection was caught up as of the probe's start — found by the
 * probe itself when nothing was left, or by a later one whose positions have passed its
 * watermarks. `stalenessMs` is the age of the latest such moment. That one rule covers the cases
 * that matter:
 * - idle for hours: every probe finds nothing new, the projection stays fresh;
 * - under a steady stream of changes: nothing is ever "left = 0" at the instant of a probe, but
 *   each probe's watermarks are passed a moment later, so the age stays near the consumer's real
 *   delay plus one probe interval (issue #11: counting only probes that found nothing left made
 *   a busy projection count as stale for ever);
 * - broker down, or a probe that hangs: no probe succeeds, the age grows past the bound;
 * - a backlog (after an outage, a burst, a slow or failing store): the watermarks of the probes
 *   are passed only as the backlog is worked off, so the age grows until it is;
 * - a rebalance or a consumer restarting itself: a probe counts only while the consumer is in its
 *   group; a few hundred ms of rebalance stay within the bound, a long one does not;
 * - stopped: the consumer will not apply anything again, so never fresh (Infinity).
 *
 * Partitions this process does not consume (several instances share the group) reach its memory
 * only through the periodic store refresh: then a caught-up moment counts only once a refresh that
 * started after it has completed.
 *
 * **Against the event store, not just the topics.** Caught up with the topics says nothing when
 * the delegation relay has stopped (a mapper defect), keeps failing to publish or is behind: the
 * delegation service goes on committing revocations the topics never get. So the relay reports
 * progress (DelegationRelayProgress, about every 100 ms): "every event committed before
 * `coveredUntil` is on the topics, written before this report". A report received before a probe
 * was sent was written before that probe asked for the watermarks, so the events it vouches for
 * lie within them: a probe P the consumer has passed makes the projection caught up as of
 * `min(P.startedAt, V)`, V the latest `coveredUntil` of the reports received before P.startedAt.
 * No report received (since start, or for a while) → no caught-up moment beyond what the last
 * report vouched for: stale once the bound has passed, and the reason says the relay is silent.
 * The cost while all is well is one report interval plus relay → Kafka → consumer latency.
 *
 * Clocks: `coveredUntil` is the delegation host's clock, the rest this host's. The rule assumes
 * clocks agree within tens of ms (NTP); a delegation clock ahead by d makes the staleness read d
 * too low (behind by d: d too high). A `coveredUntil` later than the report's arrival here is
 * clamped to its arrival: no report vouches for a moment this host has not reached.
 */
/** Probes whose watermarks the consumer had not reached when they were answered (the latest few are kept). */
const PENDING_PROBES = 64;
/** Progress reports kept for probes still to be answered or passed (about 25 s at one per 100 ms). */
const PROGRESS_REPORTS = 256;

export class CatchUpTracker {
  private caughtUpAt: number | undefined;
  /**
   * Answered probes that found messages left: when each was sent, the watermarks it got back, and
   * what the relay had vouched for before it was sent (undefined: nothing).
   */
  private pending: { readonly startedAt: number; readonly vouched: number | undefined; readonly highs: ReadonlyMap<string, number> }[] = [];
  /** Relay progress reports in arrival order: when each arrived, and the latest moment vouched for so far (clamped to its arrival). */
  private reports: { readonly receivedAt: number; readonly vouched: number }[] = [];
  private outcome: ProbeOutcome | undefined;
  private probeSince: number | undefined;
  /** From the latest answered probe: other members of the group consume some partitions. */
  private partial = false;
  /** The latest caught-up moment that a completed store refresh has merged. */
  private mergedAsOf: number | undefined;

  constructor(
    readonly boundMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * A progress report of the delegation relay arrived at `receivedAt` (this host's clock): every
   * delegation event committed before `coveredUntil` (the delegation host's clock) is on the topics.
   */
  progressReceived(receivedAt: number, coveredUntil: number): void {
    const clamped = Math.min(coveredUntil, receivedAt);
    const latest = this.reports.at(-1);
    this.reports.push({ receivedAt: Math.max(receivedAt, latest?.receivedAt ?? receivedAt), vouched: Math.max(clamped, latest?.vouched ?? clamped) });
    if (this.reports.length > PROGRESS_REPORTS) this.reports.shift();
  }

  /** A probe was sent at `at` (the broker is asked now). */
  probeStarted(at: number): void {
    this.probeSince = at;
  }

  /** The brokers answered the probe sent at `startedAt` with the consumer's lag. */
  probeAnswered(startedAt: number, lag: ConsumerLag, consumesAllPartitions: boolean): void {
    this.probeSince = undefined;
    if (lag.partitions.length === 0) {
      // The consumer does not know its topics yet: nothing proves the projection current.
      this.outcome = { kind: 'no-partitions' };
      return;
    }
    this.partial = !consumesAllPartitions;
    this.handledUpTo(new Map(lag.partitions.map((p) => [`${p.topic}:${p.partition}`, p.position])));
    const vouched = this.vouchedBefore(startedAt);
    if (lag.total > 0) {
      this.outcome = { kind: 'behind', messages: lag.total };
      this.pending.push({ startedAt, vouched, highs: new Map(lag.partitions.map((p) => [`${p.topic}:${p.partition}`, p.high])) });
      if (this.pending.length > PENDING_PROBES) this.pending.shift();
      return;
    }
    this.outcome = { kind: 'caught-up' };
    this.pending = [];
    this.passed(startedAt, vouched);
  }

  /**
   * The consumer's positions (`topic:partition` → next offset to handle), from a probe or from
   * what this process handled since: the latest earlier probe whose watermarks every partition
   * has reached marks the projection caught up as of that probe's start. Called with the handled
   * positions whenever freshness is asked, so a passed probe counts at once, not one probe later.
   */
  handledUpTo(positions: ReadonlyMap<string, number>): void {
    const passed = this.pending.findLastIndex((probe) => [...probe.highs].every(([partition, high]) => (positions.get(partition) ?? -1) >= high));
    if (passed < 0) return;
    const probe = this.pending[passed] as { startedAt: number; vouched: number | undefined };
    this.passed(probe.startedAt, probe.vouched);
    this.pending = this.pending.slice(passed + 1);
  }

  /**
   * The consumer holds everything on the topics when the probe sent at `startedAt` asked, and the
   * relay had put there everything committed before `vouched`: caught up with the store as of the
   * earlier of the two. Without a report (`vouched` undefined) the topics prove nothing about the store.
   */
  private passed(startedAt: number, vouched: number | undefined): void {
    if (vouched === undefined) return;
    const asOf = Math.min(startedAt, vouched);
    this.caughtUpAt = Math.max(this.caughtUpAt ?? asOf, asOf);
  }

  /** The latest moment vouched for by a report that arrived before `at` (strictly: one in the same ms may have come after). */
  private vouchedBefore(at: number): number | undefined {
    for (let i = this.reports.length - 1; i >= 0; i--) {
      const report = this.reports[i] as { receivedAt: number; vouched: number };
      if (report.receivedAt < at) return report.vouched;
    }
    return undefined;
  }

  /** The probe sent at `startedAt` failed (broker unreachable, timeout). */
  probeFailed(_startedAt: number, error: string): void {
    this.probeSince = undefined;
    this.outcome = { kind: 'failed', error };
  }

  /** No probe was sent: the consumer is not in its group (connecting, reconnecting, stopping). */
  consumerNotRunning(condition: ConsumerCondition): void {
    this.probeSince = undefined;
    this.outcome = { kind: 'not-running', state: condition.state, error: condition.lastError };
  }

  /** A store refresh begins; hand the returned moment to `refreshCompleted` when it has merged. */
  refreshStarted(): number | undefined {
    return this.caughtUpAt;
  }

  /** A refresh that began when the projection was caught up as of `asOf` has merged the store. */
  refreshCompleted(asOf: number | undefined): void {
    if (asOf !== undefined) this.mergedAsOf = Math.max(this.mergedAsOf ?? asOf, asOf);
  }

  /** Ms since the projection was last known to be caught up; Infinity when never, or stopped. */
  stalenessMs(condition: ConsumerCondition): number {
    const asOf = this.asOf(condition);
    return asOf === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.now() - asOf);
  }

  /** The report behind `AuthorityConsumer.freshness()`, the guard's 503 and /health. */
  freshness(condition: ConsumerCondition): AuthorityFreshness {
    const asOf = this.asOf(condition);
    const stalenessMs = asOf === undefined ? null : Math.max(0, this.now() - asOf);
    const fresh = stalenessMs !== null && stalenessMs <= this.boundMs;
    return {
      fresh,
      stalenessMs,
      boundMs: this.boundMs,
      caughtUpAt: asOf === undefined ? null : new Date(asOf).toISOString(),
      reason: fresh ? null : this.reason(condition, stalenessMs),
    };
  }

  private asOf(condition: ConsumerCondition): number | undefined {
    if (isStopped(condition.state)) return undefined;
    if (!this.partial) return this.caughtUpAt;
    if (this.caughtUpAt === undefined || this.mergedAsOf === undefined) return undefined;
    return Math.min(this.caughtUpAt, this.mergedAsOf);
  }

  private reason(condition: ConsumerCondition, stalenessMs: number | null): string {
    if (isStopped(condition.state)) return `the consumer is ${condition.state}; it applies nothing any more`;
    const causes: string[] = [];
    const now = this.now();
    const report = this.reports.at(-1);
    if (report === undefined) {
      causes.push('the delegation relay has not reported progress since start (nothing vouches that the delegation topics hold what its event store committed)');
    } else if (now - report.receivedAt > this.boundMs) {
      causes.push(`the delegation relay has not reported progress for ${now - report.receivedAt} ms (stopped, failing to publish, or behind; its last report covers until ${new Date(report.vouched).toISOString()})`);
    } else if (now - report.vouched > this.boundMs) {
      causes.push(`the delegation relay is behind its event store: its latest report covers only until ${new Date(report.vouched).toISOString()}, ${now - report.vouched} ms ago`);
    }
    if (stalenessMs === null) causes.push('not caught up with the delegation event store since start');
    if (this.probeSince !== undefined && this.now() - this.probeSince > this.boundMs) {
      causes.push(`the brokers have not answered the catch-up check for ${this.now() - this.probeSince} ms`);
    }
    const outcome = this.outcome;
    if (outcome?.kind === 'behind') causes.push(`${outcome.messages} messages on the delegation topics not applied yet`);
    if (outcome?.kind === 'failed') causes.push(`the brokers did not answer the catch-up check: ${outcome.error}`);
    if (outcome?.kind === 'no-partitions') causes.push('the consumer has not learned its partitions yet');
    if (outcome?.kind === 'not-running') causes.push(`the consumer is ${outcome.state}${outcome.error ? ` (${outcome.error})` : ''}`);
    if (this.partial && this.mergedAsOf === undefined) {
      causes.push('other instances consume some partitions and no store refresh has merged their writes yet');
    } else if (this.partial && this.caughtUpAt !== undefined && this.mergedAsOf !== undefined && this.mergedAsOf < this.caughtUpAt) {
      causes.push(`other instances consume some partitions; their writes are merged from the store only at each refresh (the last covers ${describeStaleness(Math.max(0, this.now() - this.mergedAsOf))} ago)`);
    }
    if (causes.length === 0) causes.push('no catch-up check has succeeded within the bound');
    return causes.join('; ');
  }
}

function isStopped(state: ConsumerState): boolean {
  return state === 'stopping' || state === 'stopped';
}
