import { categoryOf } from '@leadership/kernel';
import type { RecordedEvent } from '@leadership/event-store';
import type { ApplyResult, ProjectedReadModel } from './projected-read-model';
import type { ProjectionBookkeeping } from './projection-bookkeeping';

/** Back-off and poison rule of a projection (defaults in brackets). */
export interface RetryPolicy {
  /** First pause after a failed apply [100 ms]; doubles with every further failure. */
  readonly initialDelayMs?: number;
  /** Cap of the pause [10 s]: a database that returns is noticed within this. */
  readonly maxDelayMs?: number;
  /**
   * Failures of one event, the same way (same error name and code) while the database answers a
   * ping, after which the event counts as poison and is parked [5].
   */
  readonly poisonAttempts?: number;
  /**
   * An apply that has not settled after this long counts as failed and is retried [30 s]: a write
   * on a connection that died without an error (seen after a network cut) must not stall the
   * projection forever.
   */
  readonly applyTimeoutMs?: number;
}

/** An apply did not settle in time (see RetryPolicy.applyTimeoutMs). */
export class ApplyTimeoutError extends Error {
  override readonly name = 'ApplyTimeoutError';
  constructor(ms: number) {
    super(`apply did not settle within ${ms} ms`);
  }
}

/** The promise's outcome, or ApplyTimeoutError after `ms` (the promise itself runs on). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ApplyTimeoutError(ms)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where the projector reports what happens to it (structured, no personal data). */
export interface ProjectionLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The projector was stopped while it waited or worked. */
export class ProjectorStoppedError extends Error {
  override readonly name = 'ProjectorStoppedError';
  constructor(projection: string) {
    super(`projector ${projection} is stopped`);
  }
}

/** What one event came to. */
export type EventOutcome = 'applied' | 'skipped' | 'passed-over' | 'parked';

export interface ResilientApplyHooks {
  onFailure(error: Error, event: RecordedEvent, attempt: number, databaseAnswers: boolean): void;
  onRecovered(event: RecordedEvent): void;
  onParked(event: RecordedEvent, reason: string): void;
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Applies one event to a read model and does not give up: the one step the live projector and a
 * rebuild share.
 *
 * A failed apply is retried after an exponential back-off (capped). Whether the failure is the
 * database's or the event's is told by pinging the database after each failure: while the ping
 * fails (an outage, a network split), the event is not blamed and is retried for as long as it
 * takes; so is an apply that does not settle within `applyTimeoutMs`. When the database answers
 * and the event still fails the same way (same error name and code) `poisonAttempts` times in a
 * row, the event is poison — a document too large, a fold that
 * throws on it — and is parked in the bookkeeping with the error. From then on every later event
 * of its stream is parked too, without an attempt: a read-model document must never skip an
 * event of its stream and show a state that never existed. Other streams carry on.
 */
export class ResilientApply {
  private readonly categories: ReadonlySet<string>;
  private parkedStreams = new Set<string>();
  /** Pauses in progress (one per stream being retried), ended at once by stop(). */
  private readonly wakers = new Set<() => void>();
  private stopping = false;

  constructor(
    private readonly readModel: ProjectedReadModel,
    private readonly bookkeeping: ProjectionBookkeeping,
    private readonly policy: RetryPolicy,
    private readonly hooks: ResilientApplyHooks,
  ) {
    this.categories = new Set(readModel.categories);
  }

  /** Reads the streams already parked (before the first event). */
  async load(): Promise<void> {
    this.parkedStreams = await this.bookkeeping.parkedStreams(this.readModel.name);
    this.stopping = false;
  }

  forgetParked(): void {
    this.parkedStreams.clear();
  }

  /** Ends every pause now; the events in hand fail with ProjectorStoppedError. */
  stop(): void {
    this.stopping = true;
    for (const wake of [...this.wakers]) wake();
  }

  /** Pause of the `attempt`-th retry (1-based). */
  delay(attempt: number): number {
    const initial = this.policy.initialDelayMs ?? 100;
    const max = this.policy.maxDelayMs ?? 10_000;
    return Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  }

  /** Waits `ms` unless stopped meanwhile; throws ProjectorStoppedError when stopped. */
  async pause(ms: number): Promise<void> {
    if (!this.stopping) {
      await new Promise<void>((resolve) => {
        const wakers = this.wakers;
        const timer = setTimeout(done, ms);
        wakers.add(done);
        function done(): void {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        }
      });
    }
    if (this.stopping) throw new ProjectorStoppedError(this.readModel.name);
  }

  async apply(event: RecordedEvent): Promise<EventOutcome> {
    if (!this.categories.has(categoryOf(event.streamName))) return 'passed-over';
    if (this.parkedStreams.has(event.streamName)) {
      await this.park(event, 'an earlier event of this stream is parked', 0);
      return 'parked';
    }
    return this.untilApplied<EventOutcome>(
      () => this.readModel.apply(event),
      event,
      async (error, attempts) => {
        await this.park(event, error.message, attempts);
        return 'parked';
      },
    );
  }

  /**
   * Applies a page of events (position order) with the read model's `applyBatch`, under the same
   * rules as `apply`: events of other categories are passed over; events of parked streams are
   * parked; a failed page is retried after the back-off for as long as the database does not
   * answer (or the page does not settle in time). When the database answers and the page fails the
   * same way `poisonAttempts` times in a row, its events are applied one at a time with `apply`,
   * so the poison event among them is parked alone and the others are applied. Without
   * `applyBatch`, the events are applied one at a time. Resolves with one outcome per event.
   */
  async applyPage(events: readonly RecordedEvent[]): Promise<EventOutcome[]> {
    const outcomes: EventOutcome[] = new Array<EventOutcome>(events.length).fill('passed-over');
    const mine: number[] = [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as RecordedEvent;
      if (!this.categories.has(categoryOf(event.streamName))) continue;
      if (this.parkedStreams.has(event.streamName)) {
        await this.park(event, 'an earlier event of this stream is parked', 0);
        outcomes[i] = 'parked';
      } else mine.push(i);
    }
    const applyBatch = this.readModel.applyBatch?.bind(this.readModel);
    const oneByOne = async (): Promise<EventOutcome[]> => {
      for (const i of mine) outcomes[i] = await this.apply(events[i] as RecordedEvent);
      return outcomes;
    };
    if (mine.length === 0) return outcomes;
    if (!applyBatch) return oneByOne();
    const page = mine.map((i) => events[i] as RecordedEvent);
    const first = page[0] as RecordedEvent;
    return this.untilApplied(
      async () => {
        const results = await applyBatch(page);
        if (results.length !== page.length) throw new Error(`${this.readModel.name}: applyBatch answered ${results.length} results for ${page.length} events`);
        mine.forEach((i, k) => (outcomes[i] = results[k] as ApplyResult));
        return outcomes;
      },
      first,
      async () => {
        // Some event of the page cannot be applied: find it by applying them one by one (the
        // page's failures were reported against its first event, which is not to blame yet).
        this.hooks.onRecovered(first);
        return oneByOne();
      },
    );
  }

  /**
   * Runs `write` until it succeeds, with the back-off, reporting each failure against `event`.
   * While the database does not answer, or the write does not settle in time, the failure is not
   * blamed on the events; once the database answers and the write fails the same way (same error
   * name and code) `poisonAttempts` times in a row, `poisoned` decides what becomes of them.
   */
  private async untilApplied<T>(write: () => Promise<T>, event: RecordedEvent, poisoned: (error: Error, attempts: number) => Promise<T>): Promise<T> {
    let attempt = 0;
    let sameFailures = 0;
    let signature: string | undefined;
    for (;;) {
      if (this.stopping) throw new ProjectorStoppedError(this.readModel.name);
      try {
        const result = await within(write(), this.policy.applyTimeoutMs ?? 30_000);
        if (attempt > 0) this.hooks.onRecovered(event);
        return result;
      } catch (thrown) {
        const error = asError(thrown);
        attempt++;
        const databaseAnswers = await this.bookkeeping.ping().then(
          () => true,
          () => false,
        );
        this.hooks.onFailure(error, event, attempt, databaseAnswers);
        // A timeout says the connection is unwell, not that the event is: never counted as poison.
        if (databaseAnswers && !(error instanceof ApplyTimeoutError)) {
          const failedAs = `${error.name}:${String((error as { code?: unknown }).code ?? '')}`;
          sameFailures = failedAs === signature ? sameFailures + 1 : 1;
          signature = failedAs;
          if (sameFailures >= (this.policy.poisonAttempts ?? 5)) return poisoned(error, attempt);
        }
        await this.pause(this.delay(attempt));
      }
    }
  }

  /** Records the event as parked; retried like an apply while the database is away. */
  private async park(event: RecordedEvent, reason: string, attempts: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.bookkeeping.park({
          projection: this.readModel.name,
          position: event.position,
          streamName: event.streamName,
          revision: event.revision,
          type: event.type,
          eventId: event.metadata.eventId,
          error: reason,
          attempts,
          parkedAt: new Date(),
        });
        break;
      } catch (error) {
        this.hooks.onFailure(asError(error), event, attempt, false);
        await this.pause(this.delay(attempt));
      }
    }
    this.parkedStreams.add(event.streamName);
    this.hooks.onParked(event, reason);
  }
}
