import type { ReadOnlyEventStore, RecordedEvent, Subscription } from '@leadership/event-store';
import type { Registry } from 'prom-client';
import type { ProjectedReadModel } from './projected-read-model';
import type { ProjectionBookkeeping } from './projection-bookkeeping';
import { ProjectionMetrics } from './projection.metrics';
import { errorMessage, ProjectorStoppedError, ResilientApply, type ProjectionLogger, type RetryPolicy } from './resilient-apply';

export type ProjectorState = 'running' | 'retrying' | 'stopped';

/** The last failure the projector saw (kept after it recovered, for the operator). */
export interface ProjectorError {
  readonly message: string;
  readonly at: string;
  /** Position of the event that failed, when an event did (not the subscription). */
  readonly position: bigint | undefined;
}

/** What `/health` and operators see of a projector. */
export interface ProjectorStatus {
  readonly name: string;
  readonly state: ProjectorState;
  /** Global position of the last event applied (or passed over as not the read model's). */
  readonly appliedPosition: bigint | undefined;
  /** The event store's head when the status was taken (undefined: empty or unreachable). */
  readonly headPosition: bigint | undefined;
  /** Head minus applied position: events for SQLite (consecutive positions), log bytes for EventStoreDB. */
  readonly lagEvents: number;
  /** Age of the oldest committed event not applied yet; 0 when caught up. */
  readonly lagMs: number;
  /** Events parked as poison (the read model is missing them). */
  readonly parked: number;
  readonly lastError: ProjectorError | undefined;
}

export interface ProjectorOptions extends RetryPolicy {
  /** Checkpoints, parked events and the database probe. */
  readonly bookkeeping: ProjectionBookkeeping;
  /** Save the checkpoint after this many events [100], and at most a second after the last one. */
  readonly checkpointEvery?: number;
  /**
   * Events applied at the same time [16], each stream's in order: events of different streams
   * touch different documents, so their writes overlap instead of queueing behind each other.
   * (For a read model without `applyBatch`.)
   */
  readonly concurrency?: number;
  /**
   * Most events in one page [500], for a read model with `applyBatch`: the events that arrived
   * while the previous page was being written, up to this many, are the next page.
   */
  readonly batchSize?: number;
  /**
   * How long a page that is not full waits for more events, from its first one, in ms [0]: a
   * read model whose documents several events in quick succession change (created, then updated)
   * writes each once when the events share a page. Only while the store is busy — the previous
   * page held more than one event — so a lone event on a quiet store is applied at once. An
   * event may wait up to this long more before it is applied: keep it well inside the read
   * model's freshness bound.
   */
  readonly batchLingerMs?: number;
  /** Pending `catchUp` calls beyond this answer `false` at once [10,000]. */
  readonly maxWaiters?: number;
  /** Registry for the projection gauges and counters (default: prom-client's global one). */
  readonly metrics?: Registry;
  readonly logger?: ProjectionLogger;
  /** Clock for lag (ms since epoch). */
  readonly now?: () => number;
}

interface Waiter {
  readonly position: bigint;
  resolve(caughtUp: boolean): void;
  reject(error: Error): void;
}

/** Pause of the background checkpoint save after the last applied event. */
const IDLE_CHECKPOINT_MS = 1000;

/**
 * Keeps one read model up to date from a catch-up subscription to the event store's $all, after
 * its checkpoint (one per read-model name). It never stops on its own:
 *
 * - events are applied `concurrency` at a time, each stream's strictly in order (a stream's
 *   event starts when its previous one is done); the applied position is the last event before
 *   which everything is done, so a checkpoint never skips an unfinished event;
 * - a read model with `applyBatch` is given pages instead, one after the other: the events that
 *   arrived while the previous page was written (up to `batchSize`) make the next page, so a
 *   busy store is applied in a few large writes and a quiet one event by event, without a wait;
 *   the position moves over a page once it is applied;
 * - an apply that fails is retried with a capped exponential back-off while the later events of
 *   its stream wait (and, once the window is full, everything else); a poison event is parked
 *   (see {@link ResilientApply});
 * - when the subscription itself ends with an error (event store unreachable), it resubscribes
 *   after the last applied position, with the same back-off;
 * - `status()` and the Prometheus gauges show its state, lag and last error meanwhile.
 *
 * The checkpoint is saved after the events before it were applied, so a crash re-applies at
 * most a few events, which the revision guard skips. Construction is cheap and does no I/O:
 * `start()` loads the checkpoint and subscribes.
 */
export class Projector {
  readonly name: string;
  private subscription: Subscription | undefined;
  private supervisor: Promise<void> | undefined;
  private applied: bigint | undefined;
  private checkpointed: bigint | undefined;
  private sinceCheckpoint = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private running = false;
  private stopping = false;
  /** Positions of events that failed and are being retried. */
  private readonly failing = new Set<bigint>();
  private subscriptionFailing = false;
  /** Events delivered and not yet part of the applied position, in position order. */
  private readonly window: { readonly position: bigint; done: boolean }[] = [];
  /** The last event in flight per stream: the next one of the stream starts after it. */
  private readonly streamTails = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private windowWaiters: (() => void)[] = [];
  /** Batch mode: admitted events waiting for the next page, with their window slots. */
  private pending: { readonly event: RecordedEvent; readonly slot: { readonly position: bigint; done: boolean } }[] = [];
  private paging: Promise<void> | undefined;
  /** Ends a page's linger early (the page is full, or the projector stops). */
  private endLinger: (() => void) | undefined;
  /** When the oldest pending event was admitted (ms since epoch). */
  private pendingSince = 0;
  /** Events in the last page (a page after a lone event does not linger). */
  private lastPageSize = 0;
  private lastError: ProjectorError | undefined;
  private parkedCount = 0;
  private readonly waiters = new Set<Waiter>();
  private readonly step: ResilientApply;
  private readonly metrics: ProjectionMetrics;
  private untrack: (() => void) | undefined;
  private readonly resubscribePause: ResilientApply;

  constructor(
    private readonly store: ReadOnlyEventStore,
    private readonly readModel: ProjectedReadModel,
    private readonly options: ProjectorOptions,
  ) {
    this.name = readModel.name;
    this.metrics = ProjectionMetrics.for(options.metrics);
    this.step = new ResilientApply(readModel, options.bookkeeping, options, {
      onFailure: (error, event, attempt, databaseAnswers) => {
        this.failing.add(event.position);
        this.noteError(error, event.position);
        this.metrics.failures.inc({ projection: this.name });
        this.options.logger?.warn('projection apply failed; retrying', {
          projection: this.name,
          position: event.position.toString(),
          stream: event.streamName,
          type: event.type,
          attempt,
          databaseAnswers,
          error: error.message,
        });
      },
      onRecovered: (event) => {
        this.failing.delete(event.position);
        this.options.logger?.info('projection recovered', { projection: this.name, position: event.position.toString() });
      },
      onParked: (event, reason) => {
        this.failing.delete(event.position);
        this.parkedCount++;
        this.metrics.parked.inc({ projection: this.name });
        this.options.logger?.error('projection parked a poison event; the read model is missing it', {
          projection: this.name,
          position: event.position.toString(),
          stream: event.streamName,
          revision: event.revision,
          type: event.type,
          error: reason,
        });
      },
    });
    // The subscription's own back-off shares the policy (and the stop signal) of the apply step.
    this.resubscribePause = this.step;
  }

  /** Global position of the last event applied (or passed over as not ours). */
  get position(): bigint | undefined {
    return this.applied;
  }

  get state(): ProjectorState {
    if (!this.running) return 'stopped';
    return this.failing.size > 0 || this.subscriptionFailing ? 'retrying' : 'running';
  }

  /**
   * Loads the checkpoint and subscribes. When the stored read model was built by another version
   * of it, resets it and replays from the start. Throws when the database cannot be reached.
   */
  async start(): Promise<void> {
    if (this.supervisor) return;
    const { bookkeeping } = this.options;
    await Promise.all([this.readModel.init(), bookkeeping.init()]);
    const checkpoint = await bookkeeping.loadCheckpoint(this.name);
    if (checkpoint && checkpoint.version !== this.readModel.version) {
      this.options.logger?.warn('read model built by another version: rebuilding it from the event store', {
        projection: this.name,
        storedVersion: checkpoint.version,
        version: this.readModel.version,
      });
      await this.readModel.reset();
      await bookkeeping.clearParked(this.name);
      await bookkeeping.clearCheckpoint(this.name);
      this.applied = undefined;
    } else {
      this.applied = checkpoint?.position;
    }
    this.checkpointed = this.applied;
    await this.step.load();
    this.parkedCount = await bookkeeping.parkedCount(this.name);
    this.stopping = false;
    this.failing.clear();
    this.subscriptionFailing = false;
    this.running = true;
    this.untrack = this.metrics.track(this.name, {
      lag: async () => {
        const status = await this.status();
        return { events: status.lagEvents, ms: status.lagMs };
      },
      appliedPosition: () => this.applied,
      state: () => this.state,
    });
    this.supervisor = this.supervise();
  }

  /** Subscribes after the applied position, and again after every error, until stopped. */
  private async supervise(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let ended: Error | undefined;
      const appliedBefore = this.applied;
      try {
        this.subscription = this.store.subscribeToAll({
          ...(this.applied !== undefined ? { after: this.applied } : {}),
          onEvent: (event) => this.admit(event),
          onCaughtUp: () => {
            // The store answered up to its head: a failed subscription before this one is behind us.
            this.subscriptionFailing = false;
            this.scheduleCheckpoint(0);
          },
          onError: (error) => (ended = error),
        });
        await this.subscription.done;
      } catch (error) {
        ended = error instanceof Error ? error : new Error(String(error));
      }
      // What was admitted finishes first: the next subscription starts after the applied position.
      await this.drain();
      if (this.stopping) break;
      if (this.applied !== appliedBefore) failures = 0;
      failures++;
      this.subscriptionFailing = true;
      const reason = ended ?? new Error('subscription ended');
      this.noteError(reason, undefined);
      this.options.logger?.warn('projection subscription ended; resubscribing', { projection: this.name, attempt: failures, error: reason.message });
      try {
        await this.resubscribePause.pause(this.resubscribePause.delay(failures));
      } catch (error) {
        if (error instanceof ProjectorStoppedError) break;
        throw error;
      }
    }
  }

  /**
   * Takes one event into the window (waiting while it is full: the subscription reads no further)
   * and starts it after the previous event of its stream.
   */
  private async admit(event: RecordedEvent): Promise<void> {
    this.subscriptionFailing = false;
    const batched = this.readModel.applyBatch !== undefined;
    const limit = Math.max(1, batched ? (this.options.batchSize ?? 500) : (this.options.concurrency ?? 16));
    while (this.window.length >= limit) {
      if (this.stopping) throw new ProjectorStoppedError(this.name);
      await new Promise<void>((resolve) => this.windowWaiters.push(resolve));
    }
    if (this.stopping) throw new ProjectorStoppedError(this.name);
    const slot = { position: event.position, done: false };
    this.window.push(slot);
    if (batched) {
      if (this.pending.length === 0) this.pendingSince = Date.now();
      this.pending.push({ event, slot });
      if (this.pending.length >= limit) this.endLinger?.();
      this.paging ??= this.trackInFlight(this.applyPages(limit));
      return;
    }
    const previous = this.streamTails.get(event.streamName) ?? Promise.resolve();
    const run = previous.then(async () => {
      const outcome = await this.step.apply(event);
      if (outcome === 'applied') this.metrics.applied.inc({ projection: this.name });
      slot.done = true;
      this.advance();
    });
    // A stopped apply (ProjectorStoppedError) leaves its slot open: the position stays before it.
    const settled = run.catch(() => undefined);
    this.streamTails.set(event.streamName, settled);
    this.inFlight.add(settled);
    void settled.then(() => {
      this.inFlight.delete(settled);
      if (this.streamTails.get(event.streamName) === settled) this.streamTails.delete(event.streamName);
    });
  }

  /**
   * Batch mode: applies pages until nothing is pending. A page waits one turn of the event loop
   * first, so the events the subscription has read by then join it. Pages never overlap: a
   * later page may hold the next event of a stream of this one.
   */
  private async applyPages(limit: number): Promise<void> {
    try {
      const linger = this.options.batchLingerMs ?? 0;
      while (this.pending.length > 0 && !this.stopping) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const waited = Date.now() - this.pendingSince;
        const busy = this.lastPageSize > 1 || this.pending.length > 1;
        if (busy && linger > waited && this.pending.length < limit) await this.lingerFor(linger - waited);
        const page = this.pending.splice(0, limit);
        this.pendingSince = Date.now();
        this.lastPageSize = page.length;
        const outcomes = await this.step.applyPage(page.map((entry) => entry.event));
        const applied = outcomes.filter((outcome) => outcome === 'applied').length;
        if (applied > 0) this.metrics.applied.inc({ projection: this.name }, applied);
        for (const entry of page) entry.slot.done = true;
        this.advance();
      }
    } finally {
      this.paging = undefined;
    }
  }

  /** Waits `ms`, or less if the page fills up or the projector stops meanwhile. */
  private lingerFor(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.endLinger = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endLinger = done;
    });
  }

  private trackInFlight(work: Promise<void>): Promise<void> {
    // A stopped page (ProjectorStoppedError) leaves its slots open: the position stays before them.
    const settled = work.catch(() => undefined);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return settled;
  }

  /** Moves the applied position over the done events at the front of the window. */
  private advance(): void {
    let moved = false;
    while (this.window[0]?.done) {
      const slot = this.window.shift();
      if (!slot) break;
      this.applied = slot.position;
      this.sinceCheckpoint++;
      moved = true;
    }
    if (!moved) return;
    const applied = this.applied;
    for (const waiter of this.waiters) {
      if (applied !== undefined && waiter.position <= applied) {
        this.waiters.delete(waiter);
        waiter.resolve(true);
      }
    }
    this.releaseWindow();
    if (this.sinceCheckpoint >= (this.options.checkpointEvery ?? 100)) void this.flushCheckpoint();
    else this.scheduleCheckpoint(IDLE_CHECKPOINT_MS);
  }

  private releaseWindow(): void {
    const waiting = this.windowWaiters;
    this.windowWaiters = [];
    for (const resolve of waiting) resolve();
  }

  /** Waits for every admitted event to finish (or to give up on stop); forgets the unfinished. */
  private async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    this.window.length = 0;
    this.pending = [];
  }

  private scheduleCheckpoint(delayMs: number): void {
    if (this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      void this.flushCheckpoint();
    }, delayMs);
    this.idleTimer.unref();
  }

  /** Saves the checkpoint if it moved; a failed save is logged and retried with the next one. */
  private flushCheckpoint(): Promise<void> {
    this.flushing ??= (async () => {
      const position = this.applied;
      if (position === undefined || position === this.checkpointed) return;
      const count = this.sinceCheckpoint;
      try {
        await this.options.bookkeeping.saveCheckpoint(this.name, { position, version: this.readModel.version });
        this.checkpointed = position;
        this.sinceCheckpoint = Math.max(0, this.sinceCheckpoint - count);
      } catch (error) {
        this.options.logger?.warn('projection checkpoint not saved; retried with the next one', { projection: this.name, error: errorMessage(error) });
      }
    })().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private noteError(error: Error, position: bigint | undefined): void {
    this.lastError = { message: error.message, at: new Date(this.now()).toISOString(), position };
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * Resolves `true` once every event up to the store's current head is applied (read-your-writes
   * right after a command), `false` after `timeoutMs` [3 s] or when too many callers wait. The
   * waiter is dropped on timeout, so a stalled projector holds no callers; `stop()` rejects the
   * pending ones with ProjectorStoppedError. A projector that is not running (never started, or
   * stopped) answers `false` at once: nothing will catch it up.
   */
  async catchUp(timeoutMs = 3000): Promise<boolean> {
    if (!this.running) return false;
    const head = await this.store.headPosition();
    if (head === undefined || (this.applied !== undefined && this.applied >= head)) return true;
    if (this.waiters.size >= (this.options.maxWaiters ?? 10_000)) return false;
    return new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      const waiter: Waiter = {
        position: head,
        resolve: (caughtUp) => {
          clearTimeout(timer);
          resolve(caughtUp);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Pending catchUp calls (bounded by maxWaiters and their timeouts). */
  get waiting(): number {
    return this.waiters.size;
  }

  /** State, positions, lag and last error; reads the store's head (and one event when behind). */
  async status(): Promise<ProjectorStatus> {
    const applied = this.applied;
    let head: bigint | undefined;
    let lagMs = 0;
    try {
      head = await this.store.headPosition();
      if (head !== undefined && (applied === undefined || applied < head)) {
        const [oldest] = await this.store.readAll({ ...(applied !== undefined ? { after: applied } : {}), maxCount: 1 });
        if (oldest) lagMs = Math.max(0, this.now() - Date.parse(oldest.recordedAt));
      }
    } catch (error) {
      // The event store is unreachable: the head is unknown, which the state already tells.
      head = undefined;
      this.noteError(error instanceof Error ? error : new Error(String(error)), undefined);
    }
    const lagEvents = head === undefined ? 0 : Math.max(0, Number(head - (applied ?? 0n)));
    return { name: this.name, state: this.state, appliedPosition: applied, headPosition: head, lagEvents, lagMs, parked: this.parkedCount, lastError: this.lastError };
  }

  /** Stops the subscription (ending any retry pause), saves the checkpoint, rejects catchUp waiters. */
  async stop(): Promise<void> {
    if (!this.supervisor) {
      this.running = false;
      return;
    }
    this.stopping = true;
    this.step.stop();
    this.endLinger?.();
    this.releaseWindow();
    await this.subscription?.stop();
    await this.supervisor;
    await this.drain();
    this.supervisor = undefined;
    this.subscription = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    await this.flushing;
    await this.flushCheckpoint();
    this.running = false;
    this.failing.clear();
    this.untrack?.();
    this.untrack = undefined;
    const stopped = new ProjectorStoppedError(this.name);
    for (const waiter of this.waiters) waiter.reject(stopped);
    this.waiters.clear();
  }
}

/** Settings of {@link projectorHealthCheck}. */
export interface ProjectorHealthOptions {
  /** Lag beyond which answers are too stale [1 s, the brief's freshness bound]. */
  readonly maxLagMs?: number;
  /** Whether parked events leave the projector healthy [false: the read model misses events]. */
  readonly tolerateParked?: boolean;
}

/** The status as plain JSON (positions as strings): what `/health` shows under the check's name. */
export function projectorStatusJson(status: ProjectorStatus): Readonly<Record<string, unknown>> {
  return {
    state: status.state,
    appliedPosition: status.appliedPosition?.toString() ?? null,
    headPosition: status.headPosition?.toString() ?? null,
    lagEvents: status.lagEvents,
    lagMs: status.lagMs,
    parked: status.parked,
    lastError: status.lastError ? { message: status.lastError.message, at: status.lastError.at, position: status.lastError.position?.toString() ?? null } : null,
  };
}

/**
 * A named check for the platform's `/health` (`{ name, check }`): resolves with the status when
 * healthy; fails while the projector is not running (stopped, or retrying after a failure), lags
 * more than the bound, or has parked events, with the status in the message.
 */
export function projectorHealthCheck(projector: Projector, options: ProjectorHealthOptions = {}): { readonly name: string; check(): Promise<Readonly<Record<string, unknown>>> } {
  return {
    name: `projector:${projector.name}`,
    async check() {
      const status = await projector.status();
      const problems: string[] = [];
      if (status.state !== 'running') problems.push(`state ${status.state}`);
      if (status.lagMs > (options.maxLagMs ?? 1000)) problems.push(`${status.lagMs} ms behind`);
      if (status.parked > 0 && !options.tolerateParked) problems.push(`${status.parked} parked events (see projection_parked; fix and rebuild)`);
      if (problems.length === 0) return projectorStatusJson(status);
      throw new Error(
        `${problems.join(', ')}; applied ${status.appliedPosition ?? 'none'} of head ${status.headPosition ?? 'unknown'} (${status.lagEvents} events)` +
          (status.lastError ? `; last error at ${status.lastError.at}: ${status.lastError.message}` : ''),
      );
    },
  };
}
