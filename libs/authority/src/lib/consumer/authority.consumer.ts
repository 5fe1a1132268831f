import type { Kafka, KafkaConfig } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { StoreWriteOutcome } from '../projection/authority.store';
import type { AuthorityProjection, MandateChangedData, UnitChangedData } from '../projection/authority.projection';
import {
  CloudEventsKafkaServer,
  errorMessage,
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
  /** How often to merge into memory what other instances wrote to the store (default 5000 ms; 0: never). */
  readonly refreshIntervalMs?: number;
  /** Back-off between attempts to (re)join the group while the broker is unreachable (default 1 s … 30 s). */
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
  /** Handler retries (default: without limit, 200 ms … 5 s — see the class comment), commit cadence, kafkajs settings. */
  readonly processing?: Pick<
    CloudEventsKafkaServerOptions,
    'maxAttempts' | 'retry' | 'infrastructureRetry' | 'commitIntervalMs' | 'commitThreshold' | 'deadLetters' | 'consumer'
  >;
  /** Registry for the consumer metrics (default: prom-client's global one); `false`: none. */
  readonly metrics?: Registry | false;
  readonly logger?: MessagingLogger;
}

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
 */
export class AuthorityConsumer implements SupervisedConsumer {
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

  constructor(private readonly options: AuthorityConsumerOptions) {
    this.group = options.group;
    this.maxVersionJump = options.maxVersionJump ?? 100_000;
    this.logger = options.logger;
    this.server = new CloudEventsKafkaServer({
      // What fails in the handler is the store (the contract already refused malformed data).
      // Parking that event would lose it, so it is retried without limit and the partition waits, in order.
      maxAttempts: Number.MAX_SAFE_INTEGER,
      retry: { initialDelayMs: 200, maxDelayMs: 5000 },
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
    };
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

  /** Starts merging what other instances wrote, every `refreshIntervalMs` (AuthorityModule calls it on init). */
  startRefresh(): void {
    this.refreshStopped = false;
    this.scheduleRefresh();
  }

  /** Stops the merging and waits for a read in progress. */
  async stopRefresh(): Promise<void> {
    this.refreshStopped = true;
    clearTimeout(this.refreshTimer);
    await this.refreshing;
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

  /** Chained timeouts rather than an interval, so that a slow store read never overlaps the next. */
  private scheduleRefresh(): void {
    const every = this.options.refreshIntervalMs ?? 5000;
    if (every <= 0 || this.refreshStopped) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshing = this.projection
        .refresh()
        .then(() => undefined)
        .catch((error: unknown) => this.logger?.warn('authority projection refresh failed', { group: this.group, error: errorMessage(error) }))
        .finally(() => this.scheduleRefresh());
    }, every);
    this.refreshTimer.unref();
  }
}
