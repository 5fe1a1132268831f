import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { Registry } from 'prom-client';
import { AuthorityStaleError, type AuthorityFreshness, type AuthorityFreshnessSource } from '../projection/authority-freshness';
import type { StoreWriteOutcome } from '../projection/authority.store';
import type { AuthorityProjection, MandateChangedData, UnitChangedData } from '../projection/authority.projection';
import { CatchUpTracker, type ConsumerCondition } from './catch-up.tracker';
import { RelayProgressListener, type RelayProgressListenerStatus } from './relay-progress.listener';
import {
  CloudEventsKafkaServer,
  errorMessage,
  kafkaLogCreator,
  NonRetriableError,
  type BackoffPolicy,
  type CloudEventsKafkaServerOptions,
  type ConsumerLag,
  type ConsumerStatus,
  type MessagingLogger,
  type SupervisedConsumer,
} from '@leadership/messaging-kafka';

/**
 * The consumer id (Nest transport id) of the authority handlers: they run only on the authority
 * consumer group, never on the service's own consumer, and the service's handlers never on this one.
 */
export const AUTHORITY_CONSUMER = Symbol('leadership.authority.consumer');

/** Options of {@link AuthorityConsumer}. */
export interface AuthorityConsumerOptions {
  /** A kafkajs client the service already has, or its settings. */
  readonly kafka: Kafka | KafkaConfig;
  /** Consumer group, one per service: `<service>.authority` (e.g. `case-distribution.authority`). */
  readonly group: string;
  readonly projection: AuthorityProjection;
  /**
   * Where a new group starts (default: the beginning). The topics carry the full state of each
   * mandate and unit, so a new projection must read them from the start.
   */
  readonly fromBeginning?: boolean;
  /**
   * How often to merge into memory what other instances wrote to the store (default 5000 ms; 0:
   * never). With several instances in one group, the partitions the others consume reach this
   * one only through this merge, so the freshness measure waits for it: keep it well below
   * `freshnessBoundMs` then (e.g. a third), or grants are refused most of the time.
   */
  readonly refreshIntervalMs?: number;
  /** Back-off between attempts to (re)join the group while the broker is unreachable (default 500 ms … 5 s). */
  readonly reconnect?: BackoffPolicy;
  /** How long Nest's `startAllMicroservices` waits for the first join before going on (default 10 000 ms). */
  readonly waitForJoinMs?: number;
  /**
   * The largest believable step of a mandate's or unit's version over the one held (or over 0
   * for one not seen yet), default 100 000. Versions count the aggregate's events, so a bigger
   * jump is a forged or corrupt message: applied, it would win over every later genuine version
   * for good (the guard keeps the highest). Such a message is parked on the dead-letter topic.
   */
  readonly maxVersionJump?: number;
  /**
   * Handler retries (default: without limit, 200 ms … 5 s — see the class comment), commit
   * cadence, parallelism, kafkajs settings. Parallelism defaults to 3 partitions at a time and 16
   * keys at a time within one: each apply is a store round trip, and one message after the other
   * fell further and further behind a busy delegation service (issue #11). Versions are per
   * aggregate, and an aggregate's events share a key, so they stay in order.
   */
  readonly processing?: Pick<
    CloudEventsKafkaServerOptions,
    'maxAttempts' | 'retry' | 'infrastructureRetry' | 'commitIntervalMs' | 'commitThreshold' | 'partitionsConsumedConcurrently' | 'keyConcurrency' | 'deadLetters' | 'consumer'
  >;
  /**
   * The freshness bound in ms (default 1000, the brief's): a grant is answered only while the
   * projection was caught up with the delegation event store at most this long ago (`mayFresh`, the
   * guard); /health is down past it.
   */
  readonly freshnessBoundMs?: number;
  /**
   * How often to check that the projection is caught up, in ms (default a quarter of the bound).
   * Each check asks the brokers for the topics' high watermarks and the group's committed offsets
   * (what `lag()` does); between checks the staleness grows, so the interval must stay well below
   * the bound.
   */
  readonly freshnessProbeIntervalMs?: number;
  /**
   * The delegation relay's progress reports (`leadership.delegation.relay-progress.v1`), which
   * the freshness measure needs to bound staleness against the delegation **event store** (see
   * CatchUpTracker). By default this instance reads them itself, in a group of its own (a unique
   * suffix), with the given reconnect back-off. `listen: false` reads nothing: the caller hands
   * reports to `relayProgressReceived` (unit tests); without reports nothing is ever fresh.
   */
  readonly relayProgress?: { readonly listen?: boolean; readonly reconnect?: BackoffPolicy };
  /** Registry for the consumer metrics (default: prom-client's global one); `false`: none. */
  readonly metrics?: Registry | false;
  readonly logger?: MessagingLogger;
  /** Clock of the freshness measure, in epoch ms (default Date.now); tests pass a fake one. */
  readonly clock?: () => number;
}

/** The default freshness bound: the brief's 1 s. */
export const DEFAULT_AUTHORITY_FRESHNESS_BOUND_MS = 1000;

/** What `status()` reports, for health endpoints and logs. */
export interface AuthorityConsumerStatus extends ConsumerStatus {
  /** Events that changed the projection since start (newer versions). */
  readonly eventsApplied: number;
  /** Events that were older or repeated versions (redeliveries, replays). */
  readonly eventsStale: number;
  /** When the last event was applied or found stale (ISO-8601), or null. */
  readonly lastEventAt: string | null;
  readonly mandates: number;
  readonly units: number;
  /** How far behind the delegation event store the projection may be (see `freshness()`). */
  readonly freshness: AuthorityFreshness;
  /** The reader of the delegation relay's progress reports (absent with `relayProgress.listen: false`). */
  readonly relayProgress?: RelayProgressListenerStatus;
}

/**
 * Keeps an {@link AuthorityProjection} up to date from `leadership.delegation.mandates.v1`
 * (`MandateChanged`) and `leadership.delegation.directory.v1` (`UnitChanged`) as a Nest
 * microservice: `server` is a CloudEventsKafkaServer (consumer id {@link AUTHORITY_CONSUMER})
 * that the service attaches with `connectAuthorityConsumer(app)`, and AuthorityEventsController's
 * `@IntegrationEventHandler`s hand each validated event to `applyMandateChanged` /
 * `applyUnitChanged`. Other types on those topics (people) are skipped; malformed messages are
 * parked on `leadership.dlq.<group>`.
 *
 * Dedupe is by aggregate version: the projection keeps only a newer version per mandate and unit
 * (in MongoDB and in memory), so a redelivery changes nothing and no processed-event record is
 * written. The store is written before the offset is resolved, so it is never behind the
 * committed offsets.
 *
 * A broker that is down, at start or later, does not stop the service: the projection keeps
 * answering from the last known state and the server keeps trying to (re)join with back-off. A
 * store (MongoDB) that is down holds the partition: the write is retried without limit rather
 * than the event parked (a parked revocation might never be repaired by a later version), and
 * `may` keeps answering from memory meanwhile.
 *
 * Freshness (brief §6): neither outage may turn into stale grants, nor may a delegation relay that
 * stopped publishing. While the background work runs (`startRefresh`), the consumer checks every
 * `freshnessProbeIntervalMs` whether the projection holds everything the brokers hold on its
 * partitions, and reads the delegation relay's progress reports (every event committed before a
 * moment is on the topics) on a consumer of its own; CatchUpTracker combines both into how far
 * behind the delegation event store the projection may be, `freshness()`. The projection's
 * `mayFresh` and the guard refuse grants past `freshnessBoundMs`.
 *
 * Why a probe of the brokers rather than kafkajs' fetch events: an idle long poll lasts
 * `maxWaitTimeInMs` (5 s by default) and its empty response emits no batch event, a fetch that
 * failed on a closed connection emits FETCH with no batches just like an empty one, and FETCH
 * names a broker, not partitions. A high watermark from the brokers compared with what was
 * applied needs none of that and says what the rule asks: "caught up as of when".
 */
export class AuthorityConsumer implements SupervisedConsumer, AuthorityFreshnessSource {
  readonly group: string;
  /** The Nest transport strategy: `app.connectMicroservice({ strategy: consumer.server })`. */
  readonly server: CloudEventsKafkaServer;
  private readonly maxVersionJump: number;
  private readonly logger: MessagingLogger | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshStopped = false;
  private eventsApplied = 0;
  private eventsStale = 0;
  private lastEventAt: Date | null = null;
  private readonly clock: () => number;
  private readonly catchUp: CatchUpTracker;
  private readonly probeIntervalMs: number;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;
  private readonly progressListener: RelayProgressListener | undefined;

  constructor(private readonly options: AuthorityConsumerOptions) {
    this.group = options.group;
    this.maxVersionJump = options.maxVersionJump ?? 100_000;
    this.logger = options.logger;
    const bound = options.freshnessBoundMs ?? DEFAULT_AUTHORITY_FRESHNESS_BOUND_MS;
    if (!(bound > 0)) throw new RangeError(`freshnessBoundMs must be positive, got ${bound}`);
    this.clock = options.clock ?? Date.now;
    this.catchUp = new CatchUpTracker(bound, this.clock);
    this.probeIntervalMs = options.freshnessProbeIntervalMs ?? Math.max(10, Math.floor(bound / 4));
    this.server = new CloudEventsKafkaServer({
      // What fails in the handler is the store (the contract already refused malformed data).
      // Parking that event would lose it, so it is retried without limit and the partition waits, in order.
      maxAttempts: Number.MAX_SAFE_INTEGER,
      retry: { initialDelayMs: 200, maxDelayMs: 5000 },
      partitionsConsumedConcurrently: 3,
      keyConcurrency: 16,
      ...options.processing,
      transportId: AUTHORITY_CONSUMER,
      kafka: options.kafka,
      group: options.group,
      dedupe: { by: 'aggregate-version' },
      fromBeginning: options.fromBeginning ?? true,
      ...(options.reconnect ? { reconnect: options.reconnect } : {}),
      ...(options.waitForJoinMs !== undefined ? { waitForJoinMs: options.waitForJoinMs } : {}),
      ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    if (options.relayProgress?.listen ?? true) {
      this.progressListener = new RelayProgressListener({
        kafka:
          options.kafka instanceof Kafka
            ? options.kafka
            : new Kafka({ clientId: `${options.group}.relay-progress`, logLevel: logLevel.WARN, logCreator: kafkaLogCreator(new Logger(`RelayProgressListener ${options.group}`)), ...options.kafka }),
        group: options.group,
        onProgress: (coveredUntil) => this.relayProgressReceived(coveredUntil),
        ...(options.relayProgress?.reconnect ? { reconnect: options.relayProgress.reconnect } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      });
    }
    options.projection.trackFreshness(this);
  }

  /**
   * A progress report of the delegation relay arrived now: every delegation event committed before
   * `coveredUntil` (epoch ms or a Date, the delegation host's clock) is on the topics. The reader
   * of the reports calls it; tests with `relayProgress.listen: false` call it themselves.
   */
  relayProgressReceived(coveredUntil: number | Date): void {
    this.catchUp.progressReceived(this.clock(), typeof coveredUntil === 'number' ? coveredUntil : coveredUntil.getTime());
  }

  /** The projection this consumer feeds. */
  get projection(): AuthorityProjection {
    return this.options.projection;
  }

  /** Applies a MandateChanged (the handler's one call); parks an implausible version (NonRetriableError). */
  async applyMandateChanged(data: MandateChangedData): Promise<void> {
    // Microservices may start before the application's init hooks: never apply before the warm load.
    await this.projection.load();
    this.refuseImplausible('mandate', data.mandateId, data.version, this.projection.mandateVersion(data.mandateId));
    this.count(await this.projection.applyMandateChanged(data));
  }

  /** Applies a UnitChanged (the handler's one call); parks an implausible version (NonRetriableError). */
  async applyUnitChanged(data: UnitChangedData): Promise<void> {
    await this.projection.load();
    this.refuseImplausible('unit', data.unitId, data.version, this.projection.unitVersion(data.unitId));
    this.count(await this.projection.applyUnitChanged(data));
  }

  status(): AuthorityConsumerStatus {
    const size = this.projection.size;
    return {
      ...this.server.consumerStatus(),
      eventsApplied: this.eventsApplied,
      eventsStale: this.eventsStale,
      lastEventAt: this.lastEventAt?.toISOString() ?? null,
      mandates: size.mandates,
      units: size.units,
      freshness: this.freshness(),
      ...(this.progressListener ? { relayProgress: this.progressListener.status() } : {}),
    };
  }

  /**
   * How far behind the delegation event store the projection may be: fresh while it was last
   * known, at most `freshnessBoundMs` ago, to hold everything the brokers held and everything the
   * relay had vouched for before (CatchUpTracker); otherwise why not.
   */
  freshness(): AuthorityFreshness {
    this.catchUp.handledUpTo(this.server.handledPositions());
    return this.catchUp.freshness(this.condition());
  }

  /** Ms since the projection was last known to be caught up; Infinity before that ever happened, or once the consumer stopped. */
  stalenessMs(): number {
    this.catchUp.handledUpTo(this.server.handledPositions());
    return this.catchUp.stalenessMs(this.condition());
  }

  /** The configured bound, in ms. */
  get freshnessBoundMs(): number {
    return this.catchUp.boundMs;
  }

  /** Throws AuthorityStaleError past the bound (for code that decides on its own what a stale projection means). */
  assertFresh(): void {
    const freshness = this.freshness();
    if (!freshness.fresh) throw new AuthorityStaleError(freshness);
  }

  consumerStatus(): ConsumerStatus {
    return this.server.consumerStatus();
  }

  /** Messages on the two topics this group has not handled yet (asks the broker). */
  lag(): Promise<ConsumerLag> {
    return this.server.lag();
  }

  /**
   * Read-your-writes: resolves once the projection holds `mandateId` at `version` or later (e.g.
   * the version a delegation API call just returned in its ETag); rejects with
   * AuthorityVersionTimeoutError after `timeoutMs`.
   */
  waitForVersion(mandateId: string, version: number, timeoutMs: number): Promise<void> {
    return this.projection.waitForMandateVersion(mandateId, version, timeoutMs);
  }

  /**
   * Starts the background work (AuthorityModule calls it on init, a composition root after the
   * warm load): merging what other instances wrote, every `refreshIntervalMs`, the freshness
   * probe, every `freshnessProbeIntervalMs`, and reading the delegation relay's progress reports.
   * Without it the projection never counts as fresh.
   */
  startRefresh(): void {
    this.refreshStopped = false;
    this.scheduleRefresh();
    this.scheduleProbe(0);
    this.progressListener?.start();
  }

  /** Stops the background work and waits for a read or probe in progress. */
  async stopRefresh(): Promise<void> {
    this.refreshStopped = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.probeTimer);
    await Promise.all([this.refreshing, this.probing, this.progressListener?.stop()]);
  }

  private refuseImplausible(kind: 'mandate' | 'unit', id: string, version: number, held: number | undefined): void {
    if (version - (held ?? 0) > this.maxVersionJump) {
      throw new NonRetriableError(`${kind} ${id}: version ${version} is more than ${this.maxVersionJump} above the held ${held ?? 'none'}; refused as implausible`);
    }
  }

  private count(outcome: StoreWriteOutcome): void {
    if (outcome === 'applied') this.eventsApplied++;
    else this.eventsStale++;
    this.lastEventAt = new Date();
  }

  private condition(): ConsumerCondition {
    const { state, lastError } = this.server.consumerStatus();
    return { state, lastError };
  }

  /**
   * One probe at a time (chained timeouts): while the brokers do not answer, the staleness simply
   * grows, and no pile of waiting requests builds up. The moment counted as "caught up" is when
   * the probe was sent: the high watermarks it gets back cover at least everything written before.
   */
  private scheduleProbe(delayMs: number): void {
    if (this.refreshStopped) return;
    this.probeTimer = setTimeout(() => {
      this.probing = this.probe().finally(() => this.scheduleProbe(this.probeIntervalMs));
    }, delayMs);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    const status = this.server.consumerStatus();
    // Only a member of the group counts: a consumer that is not (yet) in it may not hold what the
    // committed offsets say (and asking the brokers would only wait for them).
    if (status.state !== 'running') {
      this.catchUp.consumerNotRunning(status);
      return;
    }
    const startedAt = this.clock();
    this.catchUp.probeStarted(startedAt);
    try {
      const lag = await this.server.lag();
      const mine = new Set(this.server.consumerStatus().assignments.flatMap((a) => a.partitions.map((p) => `${a.topic}:${p}`)));
      this.catchUp.probeAnswered(startedAt, lag, lag.partitions.every((p) => mine.has(`${p.topic}:${p.partition}`)));
    } catch (error) {
      this.catchUp.probeFailed(startedAt, errorMessage(error));
    }
  }

  /** Chained timeouts rather than an interval, so that a slow store read never overlaps the next. */
  private scheduleRefresh(): void {
    const every = this.options.refreshIntervalMs ?? 5000;
    if (every <= 0 || this.refreshStopped) return;
    this.refreshTimer = setTimeout(() => {
      const asOf = this.catchUp.refreshStarted();
      this.refreshing = this.projection
        .refresh()
        .then(() => this.catchUp.refreshCompleted(asOf))
        .catch((error: unknown) => this.logger?.warn('authority projection refresh failed', { group: this.group, error: errorMessage(error) }))
        .finally(() => this.scheduleRefresh());
    }, every);
    this.refreshTimer.unref();
  }
}
