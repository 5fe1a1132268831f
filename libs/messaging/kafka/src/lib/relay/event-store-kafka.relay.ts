import type { Registry } from 'prom-client';
import type { AllFilter, EventStore, RecordedEvent, Subscription } from '@leadership/event-store';
import { AbortedError, backoffDelay, sleep, type BackoffPolicy } from '../shared/backoff';
import type { OutgoingKafkaMessage } from '../shared/cloud-event.codec';
import { defaultMessagingLogger, errorMessage, type MessagingLogger } from '../shared/messaging-logger';
import type { AggregateStateTracker } from './aggregate-state.tracker';
import { mapToKafkaMessages, type IntegrationEventMapper } from './integration-event.mapper';
import type { IntegrationEventPublisher } from './integration-event.publisher';
import type { RelayCheckpointStore } from './relay-checkpoint.store';
import { RelayMetrics } from './relay.metrics';

/** Options of {@link EventStoreKafkaRelay}. */
export interface EventStoreKafkaRelayOptions<S = unknown> {
  /** Unique per relay: the checkpoint key and the `relay` metrics label, e.g. `delegation-mandates`. */
  readonly name: string;
  readonly eventStore: Pick<EventStore, 'subscribeToAll' | 'headPosition' | 'readAll'>;
  readonly checkpoints: RelayCheckpointStore;
  /** Domain event (and the aggregate state after it) → integration events; see mapDomainEvents. */
  readonly mapper: IntegrationEventMapper<S>;
  /**
   * Folds the streams whose state the mapper needs (state transfer): the relay hands the mapper
   * each event with the state right after it. A failed stream read resubscribes like any store error.
   */
  readonly aggregates?: AggregateStateTracker<S>;
  readonly publisher: IntegrationEventPublisher;
  /** Narrows the subscription; unmapped events are skipped by the mapper anyway. */
  readonly filter?: AllFilter;
  /** Most integration events in one sendBatch (default 500). */
  readonly maxBatchSize?: number;
  /** Most bytes (keys, values, headers) in one sendBatch, below the broker's 1 MiB default (default 900 KiB). */
  readonly maxBatchBytes?: number;
  /**
   * How long a batch waits for more events once nothing else is queued, in ms. Default 0: the
   * batch leaves as soon as the event store stops handing over events (next macrotask), so
   * latency when idle is one send; a backlog still fills batches because the store hands a
   * page over without yielding.
   */
  readonly lingerMs?: number;
  /** Back-off between retries of a failed send or checkpoint write (default 100 ms … 5 s). */
  readonly retry?: BackoffPolicy;
  /** How long stop() lets buffered events drain before abandoning them (they are re-read after a restart). Default 10 s. */
  readonly drainTimeoutMs?: number;
  /** Registry for the relay metrics (default: prom-client's global one); `false`: none. */
  readonly metrics?: Registry | false;
  readonly logger?: MessagingLogger;
  /** Called after each checkpoint write (e.g. for tests and benchmarks). */
  readonly onCheckpoint?: (position: bigint) => void;
  /**
   * Progress reports: every `everyMs` the relay vouches on Kafka that every event committed to the
   * store before a moment is on its topics (see {@link RelayProgressOptions}). Off by default.
   */
  readonly progress?: RelayProgressOptions;
  /** The clock of the progress reports (default: the system clock); specs pass a fake one. */
  readonly clock?: () => Date;
}

/**
 * Progress reports of a relay, for consumers that must know how far behind **the event store**
 * (not just the topics) they are: the authority projections of the other services (brief §6).
 *
 * Each tick takes T = now, then reads the store's head position H: every event committed before T
 * has a position ≤ H. It waits until the relay has covered H — the broker acknowledged its batches
 * up to H (the checkpoint as soon as the publish returned, before the checkpoint store has it), or
 * no event its filter selects lies between that position and H (a filtered relay's checkpoint may
 * stay below a head that other streams' events make) — and then publishes `message(T, H)` through
 * the relay's publisher. The report therefore reaches Kafka after every event it vouches for was
 * acknowledged: "every event committed before T is on the topics, written before this message".
 *
 * Nothing is sent while the relay is not running (stopped, failed on a mapper defect), while a
 * publish or checkpoint write is being retried, or while it cannot cover H (a backlog): the
 * silence is the signal, and a consumer reckons its staleness from the last report it received.
 * One tick at a time, `everyMs` from one tick's start to the next; a tick waits, it never holds up
 * the data path (it only reads positions, and its one small message shares the producer with the
 * batches).
 */
export interface RelayProgressOptions {
  /** Interval between tick starts in ms (e.g. 100): about what it adds to the staleness consumers reckon. */
  readonly everyMs: number;
  /** The progress record for "covered until `coveredUntil`, up to store position `position`" (undefined: the store is empty). */
  readonly message: (coveredUntil: Date, position: bigint | undefined) => OutgoingKafkaMessage;
}

/** Lifecycle of a relay; `retrying` while a send or checkpoint write is being retried. */
export type RelayState = 'idle' | 'running' | 'retrying' | 'stopping' | 'stopped' | 'failed';

/** What a health check or an operator wants to know. */
export interface RelayStatus {
  readonly state: RelayState;
  /** Position of the last event whose integration events the broker acknowledged. */
  readonly checkpoint: bigint | undefined;
  /** The relay has once reached the end of the event store since it started. */
  readonly caughtUp: boolean;
  /** Integration events acknowledged since start. */
  readonly publishedEvents: number;
  readonly lastError?: string;
  /** With progress reports on: the moment the latest acknowledged report vouches for (ISO-8601), or null before the first. */
  readonly progressCoveredUntil?: string | null;
}

/** Integration events of consecutive domain events, sent as one sendBatch. */
class PendingBatch {
  readonly messages: OutgoingKafkaMessage[] = [];
  bytes = 0;
  /** Position of the last domain event in the batch, mapped to messages or not. */
  lastPosition: bigint | undefined;

  add(position: bigint, messages: readonly OutgoingKafkaMessage[]): void {
    for (const m of messages) {
      this.messages.push(m);
      this.bytes += m.key.length + m.value.length + Object.entries(m.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
    }
    this.lastPosition = position;
  }

  get empty(): boolean {
    return this.lastPosition === undefined;
  }
}

const DEFAULT_RETRY: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 5000 };

/**
 * Publishes integration events from the event store to Kafka: a catch-up subscription from the
 * stored checkpoint → explicit mappers → an idempotent acks=all producer → the checkpoint, which
 * is written only after the broker acknowledged the batch. At least once, never loss: after a
 * failed send the relay stops advancing, backs off and sends the same batch again; after a
 * crash it resumes strictly after the last acknowledged event.
 *
 * Batching: while a batch is in flight the next one fills (up to maxBatchSize/maxBatchBytes;
 * then the subscription waits), and it leaves as soon as the previous one is acknowledged. So a
 * backlog moves in large batches and a single new event leaves at once.
 */
export class EventStoreKafkaRelay<S = unknown> {
  /** Resolves when the relay stopped; rejects with the error that made it fail (e.g. a mapper defect). */
  readonly done: Promise<void>;

  private readonly name: string;
  private readonly maxBatchSize: number;
  private readonly maxBatchBytes: number;
  private readonly lingerMs: number;
  private readonly retry: BackoffPolicy;
  private readonly logger: MessagingLogger;
  private readonly metrics: RelayMetrics | undefined;
  private readonly abort = new AbortController();
  /** Resolves on abort: waits on a send race against it, so a hung send cannot hold up stop(). */
  private readonly aborted = new Promise<void>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(), { once: true }));
  private state: 'idle' | 'running' | 'stopping' | 'stopped' | 'failed' = 'idle';
  private retrying = false;
  private caughtUp = false;
  private subscription: Subscription | undefined;
  private pending = new PendingBatch();
  private inFlight: Promise<void> | undefined;
  private cancelFlush: (() => void) | undefined;
  private checkpoint: bigint | undefined;
  private publishedEvents = 0;
  private lastError: string | undefined;
  private fatal: Error | undefined;
  private stopping: Promise<void> | undefined;
  private untrackLag: (() => void) | undefined;
  private readonly clock: () => Date;
  private progressTimer: NodeJS.Timeout | undefined;
  private progressTick: Promise<void> | undefined;
  private progressCoveredUntil: Date | undefined;
  private progressFailing = false;
  /**
   * Position of the last event whose integration events the broker acknowledged: the checkpoint
   * as soon as the publish returned, before the checkpoint store has it. What progress reports
   * vouch for (the events are on Kafka), one checkpoint write sooner.
   */
  private acknowledged: bigint | undefined;
  /** Progress ticks waiting for the acknowledged position to reach a position. */
  private checkpointWaiters: { readonly position: bigint; readonly resolve: () => void }[] = [];
  private settle!: { resolve: () => void; reject: (error: Error) => void };

  constructor(private readonly options: EventStoreKafkaRelayOptions<S>) {
    this.name = options.name;
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.maxBatchBytes = options.maxBatchBytes ?? 900 * 1024;
    this.lingerMs = options.lingerMs ?? 0;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.logger = options.logger ?? defaultMessagingLogger;
    this.metrics = options.metrics === false ? undefined : RelayMetrics.for(options.metrics);
    this.clock = options.clock ?? (() => new Date());
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1) throw new RangeError('maxBatchSize must be a positive integer');
    if (options.progress && !(options.progress.everyMs > 0)) throw new RangeError(`progress.everyMs must be positive, got ${options.progress.everyMs}`);
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    // Nobody has to await done: a failure is also logged and shown by status().
    this.done.catch(() => undefined);
  }

  /** Loads the checkpoint and starts the subscription; resolves once it runs. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`relay ${this.name} was already started`);
    this.checkpoint = await this.options.checkpoints.load(this.name);
    this.acknowledged = this.checkpoint;
    this.state = 'running';
    this.untrackLag = this.metrics?.trackLag(this.name, () => this.lag());
    if (this.checkpoint !== undefined) this.metrics?.checkpoint.set({ relay: this.name }, Number(this.checkpoint));
    this.logger.info(`relay ${this.name}: started`, { relay: this.name, checkpoint: this.checkpoint });
    this.subscribe();
    this.scheduleProgress(0);
  }

  /**
   * Stops reading, lets what was read drain to Kafka (up to drainTimeoutMs), then closes the
   * producer. Events not acknowledged by then are published after the next start.
   */
  stop(): Promise<void> {
    if (this.state === 'idle') {
      this.state = 'stopped';
      this.settle.resolve();
      return Promise.resolve();
    }
    return this.shutdown();
  }

  status(): RelayStatus {
    const state: RelayState = this.state === 'running' && this.retrying ? 'retrying' : this.state;
    return {
      state,
      checkpoint: this.checkpoint,
      caughtUp: this.caughtUp,
      publishedEvents: this.publishedEvents,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.options.progress ? { progressCoveredUntil: this.progressCoveredUntil?.toISOString() ?? null } : {}),
    };
  }

  /** Head position of the event store minus the checkpoint (0 when empty or caught up). */
  async lag(): Promise<bigint> {
    const head = await this.options.eventStore.headPosition();
    if (head === undefined) return 0n;
    const lag = head - (this.checkpoint ?? 0n);
    return lag > 0n ? lag : 0n;
  }

  private subscribe(): void {
    this.subscription = this.options.eventStore.subscribeToAll({
      ...(this.checkpoint !== undefined ? { after: this.checkpoint } : {}),
      ...(this.options.filter ? { filter: this.options.filter } : {}),
      onEvent: (event) => this.onEvent(event),
      onCaughtUp: () => {
        this.caughtUp = true;
        this.kick();
      },
      onError: (error) => this.onSubscriptionError(error),
    });
  }

  private async onEvent(event: RecordedEvent): Promise<void> {
    if (this.abort.signal.aborted) throw new AbortedError(`relay ${this.name}`);
    // Outside the try below: a failed stream read is transient (the subscription is retried).
    const stateAfter = this.options.aggregates ? await this.options.aggregates.stateAfter(event) : undefined;
    let messages: OutgoingKafkaMessage[];
    try {
      messages = mapToKafkaMessages(this.options.mapper, event, stateAfter);
    } catch (error) {
      // A defect: retrying cannot help and skipping would lose the event. Publish what came
      // before it, stop there and say why.
      this.fail(error as Error);
      throw error;
    }
    this.pending.add(event.position, messages);
    if (this.isFull(this.pending)) await this.makeRoom();
    else this.scheduleFlush();
  }

  private isFull(batch: PendingBatch): boolean {
    return batch.messages.length >= this.maxBatchSize || batch.bytes >= this.maxBatchBytes;
  }

  /** Back-pressure: the subscription waits while one batch is in flight and the next is full. */
  private async makeRoom(): Promise<void> {
    while (this.isFull(this.pending)) {
      if (this.inFlight) await Promise.race([this.inFlight, this.aborted]);
      else this.kick();
      if (this.abort.signal.aborted) throw new AbortedError(`relay ${this.name}`);
    }
  }

  private scheduleFlush(): void {
    // While a batch is in flight its completion sends what piled up; no timer needed.
    if (this.cancelFlush || this.inFlight) return;
    const flush = () => {
      this.cancelFlush = undefined;
      this.kick();
    };
    if (this.lingerMs > 0) {
      const timer = setTimeout(flush, this.lingerMs);
      this.cancelFlush = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(flush);
      this.cancelFlush = () => clearImmediate(immediate);
    }
  }

  /** Sends the pending batch unless one is in flight (its completion sends the next). */
  private kick(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    if (this.inFlight || this.pending.empty || this.abort.signal.aborted) return;
    const batch = this.pending;
    this.pending = new PendingBatch();
    this.inFlight = this.deliver(batch).then(
      () => {
        this.inFlight = undefined;
        // Not at once: let the subscription hand over what it has in hand first (it does so
        // without yielding), so a fast broker does not turn a backlog into tiny batches.
        if (!this.pending.empty) this.scheduleFlush();
      },
      (error: unknown) => {
        this.inFlight = undefined;
        // Only a stop ends a delivery early; anything else is a defect of the relay itself.
        if (!(error instanceof AbortedError)) this.fail(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  private async deliver(batch: PendingBatch): Promise<void> {
    const position = batch.lastPosition;
    if (position === undefined) return;
    if (batch.messages.length > 0) {
      await this.withRetry('publish', () => this.options.publisher.publish(batch.messages), async () => {
        this.metrics?.publishFailures.inc({ relay: this.name });
        await this.options.publisher.reset().catch(() => undefined);
      });
      this.publishedEvents += batch.messages.length;
      if (this.metrics) {
        this.metrics.batchSize.observe({ relay: this.name }, batch.messages.length);
        const perTopic = new Map<string, number>();
        for (const m of batch.messages) perTopic.set(m.topic, (perTopic.get(m.topic) ?? 0) + 1);
        for (const [topic, count] of perTopic) this.metrics.published.inc({ relay: this.name, topic }, count);
      }
    }
    // Only now: everything up to `position` is acknowledged by the broker.
    this.acknowledged = position;
    this.releaseCheckpointWaiters();
    await this.withRetry('checkpoint', () => this.options.checkpoints.save(this.name, position));
    this.checkpoint = position;
    this.metrics?.checkpoint.set({ relay: this.name }, Number(position));
    this.options.onCheckpoint?.(position);
  }

  /**
   * One progress tick at a time (chained timeouts), each starting `everyMs` after the previous one
   * started: a tick that waits for its cover (a batch in flight, a backlog) delays the next only by
   * as much as it overran. Counting the interval from a tick's end instead stretched it to about
   * twice `everyMs` under load, and consumers' staleness with it.
   */
  private scheduleProgress(delayMs: number): void {
    const progress = this.options.progress;
    if (!progress || this.stopping || this.abort.signal.aborted) return;
    this.progressTimer = setTimeout(() => {
      const started = performance.now();
      this.progressTick = this.reportProgress(progress).finally(() => this.scheduleProgress(Math.max(0, progress.everyMs - (performance.now() - started))));
    }, delayMs);
    this.progressTimer.unref();
  }

  private async reportProgress(progress: RelayProgressOptions): Promise<void> {
    // Not while a send or checkpoint write is retried: the broker (or the checkpoint store) is in
    // trouble, and a report now would at best say what the next one says once it is over.
    if (this.state !== 'running' || this.retrying) return;
    const coveredUntil = this.clock();
    let head: bigint | undefined;
    try {
      head = await this.options.eventStore.headPosition();
      if (!(await this.covered(head))) return;
    } catch (error) {
      this.logger.warn(`relay ${this.name}: progress check failed; no report this time`, { relay: this.name, error: errorMessage(error) });
      return;
    }
    if (this.state !== 'running') return;
    try {
      await this.options.publisher.publish([progress.message(coveredUntil, head)]);
    } catch (error) {
      // The data path notices a broken producer by itself (and resets it): a report only skips.
      if (!this.progressFailing) this.logger.warn(`relay ${this.name}: progress report not acknowledged; trying again at the next tick`, { relay: this.name, error: errorMessage(error) });
      this.progressFailing = true;
      this.metrics?.progressFailures.inc({ relay: this.name });
      return;
    }
    if (this.progressFailing) this.logger.info(`relay ${this.name}: progress reports acknowledged again`, { relay: this.name });
    this.progressFailing = false;
    this.progressCoveredUntil = coveredUntil;
    this.metrics?.progressCoveredUntil.set({ relay: this.name }, coveredUntil.getTime() / 1000);
  }

  /**
   * Waits until every event the relay's filter selects up to `head` is acknowledged by the broker;
   * false when the relay stops or fails first. Each round asks the store for the first selected
   * event after the acknowledged position: none, or one beyond `head`, means covered; otherwise
   * wait for the acknowledged position to reach it and ask again.
   */
  private async covered(head: bigint | undefined): Promise<boolean> {
    if (head === undefined) return true; // an empty store: nothing was committed before T
    for (;;) {
      if (this.state !== 'running') return false;
      const acknowledged = this.acknowledged;
      if (acknowledged !== undefined && acknowledged >= head) return true;
      const [next] = await this.options.eventStore.readAll({
        ...(acknowledged !== undefined ? { after: acknowledged } : {}),
        ...(this.options.filter ? { filter: this.options.filter } : {}),
        maxCount: 1,
      });
      if (next === undefined || next.position > head) return true;
      await this.checkpointReached(next.position);
    }
  }

  /** Resolves once the broker acknowledged up to `position` or beyond, or the relay stops. */
  private checkpointReached(position: bigint): Promise<void> {
    if ((this.acknowledged !== undefined && this.acknowledged >= position) || this.abort.signal.aborted || this.fatal) return Promise.resolve();
    return new Promise((resolve) => this.checkpointWaiters.push({ position, resolve }));
  }

  private releaseCheckpointWaiters(all = false): void {
    const acknowledged = this.acknowledged;
    this.checkpointWaiters = this.checkpointWaiters.filter((waiter) => {
      if (!all && (acknowledged === undefined || acknowledged < waiter.position)) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Retries an action until it succeeds or the relay is stopped (AbortedError). */
  private async withRetry(what: string, action: () => Promise<void>, onFailure?: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await action();
        if (this.retrying) this.logger.info(`relay ${this.name}: ${what} succeeded after ${attempt} attempts`, { relay: this.name });
        this.retrying = false;
        return;
      } catch (error) {
        this.retrying = true;
        this.lastError = `${what}: ${errorMessage(error)}`;
        const delay = backoffDelay(this.retry, attempt);
        this.logger.warn(`relay ${this.name}: ${what} failed; retrying the same batch in ${delay} ms`, {
          relay: this.name,
          attempt,
          checkpoint: this.checkpoint,
          error: errorMessage(error),
        });
        await onFailure?.();
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private onSubscriptionError(error: Error): void {
    if (this.stopping || this.fatal) return; // our own stop or failure ended it
    this.lastError = `subscription: ${errorMessage(error)}`;
    this.logger.warn(`relay ${this.name}: event store subscription failed; resubscribing from the checkpoint`, {
      relay: this.name,
      checkpoint: this.checkpoint,
      error: errorMessage(error),
    });
    void this.resubscribe();
  }

  private async resubscribe(): Promise<void> {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    // What was buffered came from the dead subscription; it is read again after the checkpoint.
    this.pending = new PendingBatch();
    while (this.inFlight && !this.abort.signal.aborted) await Promise.race([this.inFlight, this.aborted]);
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await sleep(backoffDelay(this.retry, attempt), this.abort.signal);
      } catch {
        return;
      }
      if (this.stopping) return;
      try {
        this.subscribe();
        return;
      } catch (error) {
        this.lastError = `subscription: ${errorMessage(error)}`;
      }
    }
  }

  private fail(error: Error): void {
    if (this.fatal) return;
    this.fatal = error;
    this.lastError = errorMessage(error);
    this.logger.error(`relay ${this.name}: stopped by an error that retrying cannot fix`, {
      relay: this.name,
      checkpoint: this.checkpoint,
      error: errorMessage(error),
    });
    void this.shutdown();
  }

  private shutdown(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.state === 'running') this.state = 'stopping';
    // No progress report from here on: a stopping or failed relay covers nothing new.
    clearTimeout(this.progressTimer);
    this.releaseCheckpointWaiters(true);
    this.stopping = (async () => {
      this.untrackLag?.();
      // The subscription's stop waits for the event being handed over, which may be waiting
      // for room in a batch: drain concurrently, and abort both after the timeout.
      const subscriptionStopped = (this.subscription?.stop() ?? Promise.resolve()).catch(() => undefined);
      const drained = (async () => {
        await subscriptionStopped;
        while (!this.abort.signal.aborted && (this.inFlight || !this.pending.empty)) {
          this.kick();
          await Promise.race([this.inFlight, this.aborted]);
        }
      })();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.drainTimeoutMs ?? 10_000)))]);
      clearTimeout(timer);
      if (this.inFlight || !this.pending.empty) {
        this.logger.warn(`relay ${this.name}: stopped before the last batch was acknowledged; it is sent again after the next start`, {
          relay: this.name,
          checkpoint: this.checkpoint,
        });
      }
      this.abort.abort();
      this.cancelFlush?.();
      await drained;
      await subscriptionStopped;
      // Closing the producer also ends a progress report still waiting for its acknowledgement.
      await this.options.publisher.close().catch(() => undefined);
      await this.progressTick;
      this.state = this.fatal ? 'failed' : 'stopped';
      if (this.fatal) this.settle.reject(this.fatal);
      else this.settle.resolve();
    })();
    return this.stopping;
  }
}
