import type { Admin, ConsumerConfig, Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { DIRECTORY_TOPIC, MANDATES_TOPIC, MandateChanged, UnitChanged } from '@leadership/delegation-contracts';
import {
  backoffDelay,
  defaultMessagingLogger,
  errorMessage,
  KafkaIntegrationEventConsumer,
  sleep,
  type BackoffPolicy,
  type KafkaIntegrationEventConsumerOptions,
  type MessagingLogger,
  type ProcessedEventStore,
} from '@leadership/messaging-kafka';
import type { AuthorityProjection } from '../projection/authority.projection';

const contracts = [MandateChanged, UnitChanged] as const;
const ABORTED = Symbol('aborted');
type AuthorityContract = (typeof contracts)[number];

/** Options of {@link AuthorityConsumer}. */
export interface AuthorityConsumerOptions {
  readonly kafka: Kafka;
  /** Consumer group, one per service: `<service>.authority` (e.g. `case-distribution.authority`). */
  readonly group: string;
  readonly projection: AuthorityProjection;
  /** Dedupe by event id (`MongoProcessedEventStore` in the same database as the projection). */
  readonly processedEvents: ProcessedEventStore;
  /**
   * Where a new group starts (default: the beginning). The topics carry the full state of each
   * mandate and unit, so a new projection must read them from the start.
   */
  readonly fromBeginning?: boolean;
  /** How often to merge into memory what other instances wrote to the store (default 5000 ms; 0: never). */
  readonly refreshIntervalMs?: number;
  /** Back-off between attempts to (re)join the group while the broker is unreachable (default 1 s … 30 s). */
  readonly reconnect?: BackoffPolicy;
  /**
   * Handler retries (default: without limit, 200 ms … 5 s — see the class comment), commit
   * cadence and kafkajs settings, passed to the underlying consumer.
   */
  readonly processing?: Pick<
    KafkaIntegrationEventConsumerOptions<AuthorityContract>,
    'maxAttempts' | 'retry' | 'infrastructureRetry' | 'commitIntervalMs' | 'commitThreshold' | 'deadLetters'
  > & { readonly consumer?: Omit<ConsumerConfig, 'groupId'> };
  /** Registry for the consumer metrics (default: prom-client's global one); `false`: none. */
  readonly metrics?: Registry | false;
  readonly logger?: MessagingLogger;
}

/**
 * `connecting`: joining the group the first time; `running`: in the group and consuming;
 * `reconnecting`: the broker was unreachable or the client gave up, retrying with back-off
 * (`may` keeps answering from the last known state meanwhile); `stopped` after `stop()`.
 */
export type AuthorityConsumerState = 'idle' | 'connecting' | 'running' | 'reconnecting' | 'stopping' | 'stopped';

/** What `status()` reports, for health endpoints and logs. */
export interface AuthorityConsumerStatus {
  readonly group: string;
  readonly state: AuthorityConsumerState;
  /** Events that changed the projection since start (newer versions). */
  readonly eventsApplied: number;
  /** Events that were older or repeated versions (redeliveries, replays). */
  readonly eventsStale: number;
  /** When the last event was handled (ISO-8601), or null. */
  readonly lastEventAt: string | null;
  /** Last failure to join or stay in the group, or null after a successful join. */
  readonly lastError: string | null;
  readonly mandates: number;
  readonly units: number;
}

/** Consumer lag of one partition. */
export interface AuthorityPartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the next message to be written (high watermark). */
  readonly high: number;
  /** Offset of the next message this group will handle. */
  readonly position: number;
  readonly lag: number;
}

/** Messages the group has not handled yet, over the mandates and directory topics. */
export interface AuthorityLag {
  readonly total: number;
  readonly partitions: readonly AuthorityPartitionLag[];
}

/**
 * Keeps an {@link AuthorityProjection} up to date from `leadership.delegation.mandates.v1`
 * (`MandateChanged`) and `leadership.delegation.directory.v1` (`UnitChanged`), through the
 * messaging toolkit's `KafkaIntegrationEventConsumer`: validated CloudEvents, dedupe by event id,
 * retries, poison messages parked on `leadership.dlq.<group>`. Other types on those topics
 * (reminders, people) are skipped.
 *
 * A broker that is down, at start or later, does not stop the service: the projection keeps
 * answering from the last known state and the consumer keeps trying to (re)join with back-off.
 * A store (MongoDB) that is down holds the partition: the write is retried without limit rather
 * than the event parked, and `may` keeps answering from memory meanwhile.
 */
export class AuthorityConsumer {
  readonly group: string;
  private readonly logger: MessagingLogger;
  private state: AuthorityConsumerState = 'idle';
  private current: KafkaIntegrationEventConsumer<AuthorityContract> | undefined;
  private loop: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private admin: Promise<Admin> | undefined;
  private readonly abort = new AbortController();
  /** Settles when stop() is called; one listener for the consumer's life. */
  private readonly aborted = new Promise<typeof ABORTED>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(ABORTED), { once: true }));
  /** Next offset to handle per `topic:partition`, as seen by the handler (ahead of the last commit). */
  private readonly handled = new Map<string, number>();
  private eventsApplied = 0;
  private eventsStale = 0;
  private lastEventAt: Date | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: AuthorityConsumerOptions) {
    this.group = options.group;
    this.logger = options.logger ?? defaultMessagingLogger;
  }

  /** The projection this consumer feeds. */
  get projection(): AuthorityProjection {
    return this.options.projection;
  }

  /**
   * Warm-loads the projection from the store (if not loaded yet), then joins the group. Resolves
   * after the first join, or when `stop()` is called before one; while the broker is unreachable
   * it keeps retrying (see `status()`), so callers that must not wait race it with a timeout.
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`authority consumer ${this.group} was already started`);
    this.state = 'connecting';
    try {
      await this.options.projection.load();
    } catch (error) {
      // Nothing was started: let the caller try again once MongoDB answers.
      if (this.state === 'connecting') this.state = 'idle';
      throw error;
    }
    let joined!: () => void;
    const firstJoin = new Promise<void>((resolve) => (joined = resolve));
    this.loop = this.run(joined);
    this.scheduleRefresh();
    await Promise.race([firstJoin, this.loop]);
  }

  /** Finishes the message in hand, commits what was handled, leaves the group. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.state === 'idle') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    this.abort.abort();
    clearTimeout(this.refreshTimer);
    await this.current?.stop().catch((error: unknown) => this.logger.warn('authority consumer stop failed', { group: this.group, error: errorMessage(error) }));
    await this.loop;
    await this.refreshing;
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
    this.state = 'stopped';
  }

  status(): AuthorityConsumerStatus {
    const size = this.options.projection.size;
    return {
      group: this.group,
      state: this.state,
      eventsApplied: this.eventsApplied,
      eventsStale: this.eventsStale,
      lastEventAt: this.lastEventAt?.toISOString() ?? null,
      lastError: this.lastError,
      mandates: size.mandates,
      units: size.units,
    };
  }

  /**
   * Messages on the two topics this group has not handled yet: high watermark minus the later of
   * the committed offset and what the handler has seen (commits trail handling by up to a
   * second; skipped types are counted until their offset is committed). Asks the broker, so it
   * rejects while the broker is unreachable.
   */
  async lag(): Promise<AuthorityLag> {
    this.admin ??= (async () => {
      const admin = this.options.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    const admin = await this.admin;
    const topics = [MANDATES_TOPIC, DIRECTORY_TOPIC];
    const [committed, ...highs] = await Promise.all([
      admin.fetchOffsets({ groupId: this.group, topics }),
      ...topics.map((topic) => admin.fetchTopicOffsets(topic)),
    ]);
    const partitions: AuthorityPartitionLag[] = topics.flatMap((topic, i) =>
      (highs[i] ?? []).map(({ partition, high, low }) => {
        const commit = Number(committed.find((c) => c.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
        // -1: nothing committed yet; a group that starts from the beginning is then at the low mark.
        const position = Math.max(commit >= 0 ? commit : Number(low), this.handled.get(`${topic}:${partition}`) ?? 0);
        return { topic, partition, high: Number(high), position, lag: Math.max(0, Number(high) - position) };
      }),
    );
    return { total: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
  }

  /**
   * Read-your-writes: resolves once the projection holds `mandateId` at `version` or later (e.g.
   * the version a delegation API call just returned in its ETag); rejects with
   * AuthorityVersionTimeoutError after `timeoutMs`.
   */
  waitForVersion(mandateId: string, version: number, timeoutMs: number): Promise<void> {
    return this.options.projection.waitForMandateVersion(mandateId, version, timeoutMs);
  }

  private async run(joined: () => void): Promise<void> {
    const reconnect = this.options.reconnect ?? { initialDelayMs: 1000, maxDelayMs: 30_000 };
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      const consumer = this.createConsumer();
      this.current = consumer;
      try {
        // Joining can hang in the client's own connection retries while the broker is down;
        // stop() must not wait for them.
        if ((await this.untilAborted(consumer.start())) === ABORTED) break;
        this.state = 'running';
        this.lastError = null;
        attempt = 0;
        joined();
        // Resolves after stop(); rejects when kafkajs gives up instead of restarting itself.
        await consumer.done;
      } catch (error) {
        if (this.abort.signal.aborted) break;
        this.lastError = errorMessage(error);
        this.logger.warn('authority consumer lost the broker; answering from the last known state and retrying', {
          group: this.group,
          attempt,
          error: this.lastError,
        });
        await consumer.stop().catch(() => undefined);
      }
      if (this.abort.signal.aborted) break;
      this.state = 'reconnecting';
      await sleep(backoffDelay(reconnect, Math.max(1, attempt)), this.abort.signal).catch(() => undefined);
    }
    // stop() before the first join: start() resolves instead of waiting for ever.
    joined();
  }

  private untilAborted<T>(work: Promise<T>): Promise<T | typeof ABORTED> {
    work.catch(() => undefined);
    return Promise.race([work, this.aborted]);
  }

  private createConsumer(): KafkaIntegrationEventConsumer<AuthorityContract> {
    const { processing } = this.options;
    return new KafkaIntegrationEventConsumer<AuthorityContract>({
      // The contract already parked malformed data before the handler; what fails in the handler
      // is the store. Parking that event would lose it (a revocation may have no later version
      // to repair it), so it is retried without limit and the partition waits, in order.
      maxAttempts: Number.MAX_SAFE_INTEGER,
      retry: { initialDelayMs: 200, maxDelayMs: 5000 },
      ...processing,
      kafka: this.options.kafka,
      group: this.group,
      contracts,
      processedEvents: this.options.processedEvents,
      fromBeginning: this.options.fromBeginning ?? true,
      ...(this.options.metrics !== undefined ? { metrics: this.options.metrics } : {}),
      logger: this.logger,
      handle: async (event, context) => {
        const outcome =
          event.type === MandateChanged.type
            ? await this.options.projection.applyMandateChanged(event.data)
            : await this.options.projection.applyUnitChanged(event.data);
        if (outcome === 'applied') this.eventsApplied++;
        else this.eventsStale++;
        this.lastEventAt = new Date();
        this.handled.set(`${context.topic}:${context.partition}`, Number(context.offset) + 1);
      },
    });
  }

  /** Chained timeouts rather than an interval, so that a slow store read never overlaps the next. */
  private scheduleRefresh(): void {
    const every = this.options.refreshIntervalMs ?? 5000;
    if (every <= 0 || this.abort.signal.aborted) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshing = this.options.projection
        .refresh()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn('authority projection refresh failed', { group: this.group, error: errorMessage(error) }))
        .finally(() => this.scheduleRefresh());
    }, every);
    this.refreshTimer.unref();
  }
}
