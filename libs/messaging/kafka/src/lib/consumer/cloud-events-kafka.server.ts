import { Logger } from '@nestjs/common';
import { KafkaContext, ServerKafka, Transport, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { Kafka, logLevel, type Admin, type Consumer, type ConsumerConfig, type EachBatchPayload, type KafkaConfig, type KafkaMessage, type Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { AnyIntegrationEventContract, CloudEventOf } from '@leadership/messaging-contracts';
import { childTraceparent, correlationIdFrom, requestContext } from '@leadership/platform-nest';
import { kafkaLogCreator } from '../runtime/kafka-log-creator';
import { backoffDelay, sleep, type BackoffPolicy } from '../shared/backoff';
import { errorMessage, type MessagingLogger } from '../shared/messaging-logger';
import { ConsumerMetrics, type MessageOutcome } from './consumer.metrics';
import { KafkaDeadLetterPublisher, type DeadLetterPublisher } from './dead-letter.publisher';
import { INTEGRATION_EVENT_CONTRACTS, isIntegrationEventContractList } from './integration-event-handler.decorator';
import { IntegrationEventProcessor, type DedupeStrategy, type IntegrationEventProcessorOptions, type ProcessResult } from './integration-event.processor';

/** Options of {@link CloudEventsKafkaServer}. */
export interface CloudEventsKafkaServerOptions
  extends Pick<IntegrationEventProcessorOptions<AnyIntegrationEventContract>, 'maxAttempts' | 'retry' | 'infrastructureRetry' | 'unknownTypes' | 'logger'> {
  /** The consumer group, used as is (Nest's `-server` postfix is not appended). One per service and purpose. */
  readonly group: string;
  /**
   * A kafkajs client the service already has, or its settings (`clientId` defaults to the group;
   * kafkajs logs go through Nest's logger, so the service's JsonLogger, unless `logCreator` is given).
   */
  readonly kafka: Kafka | KafkaConfig;
  /** How redeliveries are recognised (see DedupeStrategy). */
  readonly dedupe: DedupeStrategy;
  /**
   * Which handlers this consumer runs: those of `@IntegrationEventHandler(…, { consumer })` with
   * the same id. Default `Transport.KAFKA` (the service's own consumer).
   */
  readonly transportId?: Transport | symbol;
  /** Default: the group's dead-letter topic `leadership.dlq.<group>` on the same cluster. */
  readonly deadLetters?: DeadLetterPublisher;
  /** Where a new group starts: the beginning of each topic (default) or its end. */
  readonly fromBeginning?: boolean;
  /** Commit handled offsets at least this often, in ms (default 1000), and always at batch end, on rebalance and on stop… */
  readonly commitIntervalMs?: number;
  /**
   * …and also after this many handled messages (default: no count threshold). Each commit is a
   * broker round trip the partition waits for: a threshold of 100 halved the kafka-consumer
   * benchmark's throughput. Redelivery after a crash is bounded by the interval and the batch end
   * either way, and dedupe makes it harmless.
   */
  readonly commitThreshold?: number;
  /** Partitions handled in parallel (default 1); order within a partition is always kept. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Messages of one partition handled in parallel when their keys differ (default 1: one after
   * the other). Messages with the same key — one aggregate's events — are always handled in their
   * order (those without a key count as one key), and an offset is committed only once it and
   * every message before it in the partition are handled, so a crash or rebalance redelivers
   * from the first unfinished one. For handlers whose store round trip bounds a partition's pace
   * (a projection's guarded write) — as the projector applies several streams at a time.
   */
  readonly keyConcurrency?: number;
  /** Further kafkajs consumer settings (session timeout, fetch sizes, …). */
  readonly consumer?: Omit<ConsumerConfig, 'groupId'>;
  /**
   * Back-off between attempts to (re)join while the broker is unreachable (default 500 ms … 5 s).
   * The cap is how long a consumer may stay out after the broker is back: with 30 s it took 30.6 s
   * after a 45 s outage (consumer-broker-outage int spec), and an authority consumer refuses every
   * grant until it is back in its group. An attempt against a dead broker costs a connection refused.
   */
  readonly reconnect?: BackoffPolicy;
  /**
   * How long `listen` (Nest's `startAllMicroservices`) waits for the first group join, in ms
   * (default 10 000). After that the application starts anyway and the consumer keeps trying:
   * `consumerStatus()` and the health check say so.
   */
  readonly waitForJoinMs?: number;
  /** Registry for the consumer metrics (default: prom-client's global one); `false`: none. */
  readonly metrics?: Registry | false;
}

/**
 * `connecting`: joining the group the first time; `running`: in the group and consuming;
 * `reconnecting`: the broker was unreachable or the client gave up, retrying with back-off;
 * `stopping`/`stopped` after `close()`.
 */
export type ConsumerState = 'idle' | 'connecting' | 'running' | 'reconnecting' | 'stopping' | 'stopped';

/** What {@link CloudEventsKafkaServer.consumerStatus} reports, for health endpoints and logs. */
export interface ConsumerStatus {
  readonly group: string;
  readonly state: ConsumerState;
  /** Last failure to join or stay in the group, or null once joined again. */
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** When the last message was finished (handled, skipped, duplicate or parked), ISO-8601. */
  readonly lastMessageAt: string | null;
  /** Messages finished since start, by outcome. */
  readonly messages: Readonly<Record<MessageOutcome, number>>;
  /** Partitions assigned to this member at the last join. */
  readonly assignments: readonly { readonly topic: string; readonly partitions: readonly number[] }[];
}

/** Consumer lag of one partition. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the next message to be written (high watermark). */
  readonly high: number;
  /** Offset of the next message this group will handle. */
  readonly position: number;
  readonly lag: number;
}

/** Messages the group has not handled yet, over its topics. */
export interface ConsumerLag {
  readonly total: number;
  readonly partitions: readonly PartitionLag[];
}

/** A consumer whose state and lag can be watched (health checks take this). */
export interface SupervisedConsumer {
  readonly group: string;
  consumerStatus(): ConsumerStatus;
  lag(): Promise<ConsumerLag>;
}

const ABORTED = Symbol('aborted');

/** Reconnect back-off when none is given (see `reconnect`); other supervised consumers of the platform use it too. */
export const DEFAULT_RECONNECT: BackoffPolicy = { initialDelayMs: 500, maxDelayMs: 5_000 };

/**
 * Group session timing unless `consumer` says otherwise: 10 s (kafkajs: 30 s), heartbeats every
 * second. A broker that restarts after a crash loads the group with the member the consumer had
 * before, and a new member's join waits until that one's session expires: with 30 s the consumer
 * was out for 30 s after the broker answered again (consumer-broker-outage int spec), and an
 * authority consumer refuses every grant meanwhile. Handlers waiting out a retry heartbeat every
 * 500 ms (IntegrationEventProcessor), so only a single handler call hanging for 10 s loses the
 * member (its partitions are redelivered, which dedupe makes harmless).
 */
export const DEFAULT_GROUP_TIMING = { sessionTimeout: 10_000, heartbeatInterval: 1_000 } as const;

/** One consumer (and reply producer) of the supervision loop, from connect to disconnect. */
interface Session {
  readonly consumer: Consumer;
  readonly producer: Producer;
  /** Rejects when kafkajs crashes without restarting itself; never resolves otherwise. */
  readonly crashed: Promise<never>;
}

/**
 * Nest microservice transport for integration events: `app.connectMicroservice({ strategy: new
 * CloudEventsKafkaServer({ group, kafka, dedupe }) })`, then `@IntegrationEventHandler(contract)`
 * (an `@EventPattern(topic)`) handlers receive the validated CloudEvent as `@Payload()` and the
 * `KafkaContext` as `@Ctx()`. kafkajs underneath; every message goes through the
 * IntegrationEventProcessor: CloudEvents binary-mode decode against the registered zod contracts
 * (CloudEventsDeserializer) → dedupe → handler with retries and back-off → poison parked on
 * `leadership.dlq.<group>` with the error in its headers, and the partition goes on.
 *
 * Why a strategy extending ServerKafka instead of Nest's ServerKafka with `autoCommit: false` and
 * `context.getConsumer().commitOffsets(…)` in each handler: ServerKafka runs kafkajs `eachMessage`,
 * which gives a handler no way to learn that the consumer is stopping or that its partition was
 * taken away, so a message waiting out a retry back-off (or an unreachable store) holds
 * `app.close()` and a rebalance hostage; a handler error there makes kafkajs re-run the batch
 * (a poison message stops the partition); and a commit per message is a broker round trip per
 * message. This server runs kafkajs **`eachBatch` with `eachBatchAutoResolve: false`** and
 * resolves an offset only after the processor finished its message (effect applied and recorded,
 * or skipped, or parked); kafkajs commits resolved offsets every `commitIntervalMs` (and
 * `commitThreshold`, if set), at batch end, before a rebalance and on stop — so a commit never covers a
 * message whose effect has not happened. `isRunning()`/`isStale()` let a waiting message give up
 * without being resolved (it is delivered again), and `heartbeat()` keeps long work in the group.
 * A crash replays at most the uncommitted tail, which dedupe turns into duplicates.
 *
 * Supervised: a broker that is down at start or later does not stop the service; the server
 * keeps (re)joining with back-off and reports `consumerStatus()` (state, last error, assignments),
 * `lag()` per partition and `leadership_consumer_lag`. See `kafkaConsumerHealthCheck`.
 */
export class CloudEventsKafkaServer extends ServerKafka implements SupervisedConsumer {
  readonly group: string;
  private readonly kafka: Kafka;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly metrics: ConsumerMetrics | undefined;
  private readonly messagingLogger: MessagingLogger;
  private processor: IntegrationEventProcessor<AnyIntegrationEventContract> | undefined;
  /** The Nest handler per topic, resolved once at listen (Nest's own lookup JSON-parses the pattern per message). */
  private readonly handlers = new Map<string, MessageHandler>();
  private state: ConsumerState = 'idle';
  private session: Session | undefined;
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private admin: Promise<Admin> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly aborted = new Promise<typeof ABORTED>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(ABORTED), { once: true }));
  private joinedOnce!: () => void;
  private readonly firstJoin = new Promise<void>((resolve) => (this.joinedOnce = resolve));
  /** Next offset to handle per `topic:partition`, as seen by the handler (ahead of the last commit). */
  private readonly handled = new Map<string, number>();
  private readonly outcomes: Record<MessageOutcome, number> = { handled: 0, duplicate: 0, skipped: 0, 'dead-lettered': 0 };
  private assignments: ConsumerStatus['assignments'] = [];
  private lastError: string | null = null;
  private lastErrorAt: Date | null = null;
  private lastMessageAt: Date | null = null;

  constructor(private readonly settings: CloudEventsKafkaServerOptions) {
    super({ client: { brokers: [] }, consumer: { groupId: settings.group }, postfixId: '' });
    this.group = settings.group;
    this.transportId = settings.transportId ?? Transport.KAFKA;
    this.logger = new Logger(`${CloudEventsKafkaServer.name} ${settings.group}`);
    const nestLogger = this.logger;
    this.kafka =
      settings.kafka instanceof Kafka
        ? settings.kafka
        : new Kafka({ clientId: settings.group, logLevel: logLevel.WARN, logCreator: kafkaLogCreator(nestLogger), ...settings.kafka });
    this.messagingLogger = settings.logger ?? {
      info: (msg, fields) => nestLogger.log({ msg, ...fields }),
      warn: (msg, fields) => nestLogger.warn({ msg, ...fields }),
      error: (msg, fields) => nestLogger.error({ msg, ...fields }),
    };
    this.deadLetters = settings.deadLetters ?? new KafkaDeadLetterPublisher(this.kafka);
    this.metrics = settings.metrics === false ? undefined : ConsumerMetrics.for(settings.metrics);
  }

  /** The topics of the registered handlers (known once Nest called `listen`). */
  get topics(): readonly string[] {
    return this.processor?.topics ?? [];
  }

  /**
   * Called by Nest (`startAllMicroservices`/`listen`): checks the registered handlers, then joins
   * the group. Calls back after the first join, or after `waitForJoinMs` while the broker is
   * unreachable (the consumer keeps trying). A handler set that cannot work (a handler without a
   * contract, two handlers for one topic, request/response patterns) fails the start.
   */
  override async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      if (this.state !== 'idle') throw new Error(`consumer ${this.group} was already started`);
      this.processor = this.createProcessor();
      this.deserializer = this.processor.deserializer;
      this.client = this.kafka;
    } catch (error) {
      callback(error);
      return;
    }
    this.state = 'connecting';
    this.loop = this.supervise();
    this.scheduleSweep(0);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.settings.waitForJoinMs ?? 10_000)));
    const first = await Promise.race([this.firstJoin, this.loop, gaveUp]).finally(() => clearTimeout(timer));
    if (first === 'timeout') {
      this.messagingLogger.warn(`consumer ${this.group}: not in the group yet; starting anyway and retrying`, { group: this.group, error: this.lastError });
    }
    callback();
  }

  /**
   * Finishes the message in hand (an effect already applied is recorded; a message still waiting
   * for a retry is left unresolved and delivered again), commits every handled offset, leaves the
   * group and closes the producers. Idempotent.
   */
  override close(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.state === 'idle') {
        this.state = 'stopped';
        return;
      }
      this.state = 'stopping';
      this.abort.abort();
      clearTimeout(this.sweepTimer);
      await this.endSession(this.session);
      await this.loop;
      await this.sweeping;
      const admin = this.admin;
      this.admin = undefined;
      await admin?.then((a) => a.disconnect()).catch(() => undefined);
      await this.deadLetters.close().catch(() => undefined);
      this.state = 'stopped';
    })();
    return this.stopping;
  }

  /** State, last error, assignments and counts (`status` is Nest's observable of kafkajs events). */
  consumerStatus(): ConsumerStatus {
    return {
      group: this.group,
      state: this.state,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt?.toISOString() ?? null,
      lastMessageAt: this.lastMessageAt?.toISOString() ?? null,
      messages: { ...this.outcomes },
      assignments: this.assignments,
    };
  }

  /**
   * Messages on the group's topics not handled yet: high watermark minus the later of the
   * committed offset and what the handler has finished (commits trail handling by up to
   * `commitIntervalMs`). Asks the broker, so it rejects while the broker is unreachable. Also
   * sets `leadership_consumer_lag` for every partition (also those idle since the last message).
   */
  /** What this process has handled: `topic:partition` → the next offset to handle there (every message before it is finished). */
  handledPositions(): ReadonlyMap<string, number> {
    return this.handled;
  }

  async lag(): Promise<ConsumerLag> {
    const topics = [...this.topics];
    if (topics.length === 0) return { total: 0, partitions: [] };
    // An admin connected now would outlive close().
    if (this.state === 'stopping' || this.state === 'stopped') throw new Error(`consumer ${this.group} is ${this.state}`);
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    const admin = await this.admin;
    const [committed, ...highs] = await Promise.all([admin.fetchOffsets({ groupId: this.group, topics }), ...topics.map((topic) => admin.fetchTopicOffsets(topic))]);
    const partitions: PartitionLag[] = topics.flatMap((topic, i) =>
      (highs[i] ?? []).map(({ partition, high, low }) => {
        const commit = Number(committed.find((c) => c.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
        // -1: nothing committed yet; a group that starts from the beginning is then at the low mark.
        const position = Math.max(commit >= 0 ? commit : Number(low), this.handled.get(`${topic}:${partition}`) ?? 0);
        const lag = Math.max(0, Number(high) - position);
        this.metrics?.lag.set({ group: this.group, topic, partition: String(partition) }, lag);
        return { topic, partition, high: Number(high), position, lag };
      }),
    );
    return { total: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
  }

  /** Builds the processor from the handlers Nest registered on this server. */
  private createProcessor(): IntegrationEventProcessor<AnyIntegrationEventContract> {
    const contracts: AnyIntegrationEventContract[] = [];
    for (const [topic, handler] of this.messageHandlers) {
      if (!handler.isEventHandler) throw new Error(`consumer ${this.group}: @MessagePattern(${topic}) is not supported; integration events are events (@IntegrationEventHandler)`);
      if (handler.next) {
        throw new Error(`consumer ${this.group}: two handlers for ${topic}; list the contracts on one handler, or give the other its own consumer`);
      }
      const declared: unknown = handler.extras?.[INTEGRATION_EVENT_CONTRACTS];
      if (!isIntegrationEventContractList(declared)) {
        throw new Error(`consumer ${this.group}: the handler for ${topic} declares no integration event contract; use @IntegrationEventHandler(contract)`);
      }
      contracts.push(...declared);
      this.handlers.set(topic, handler);
    }
    if (contracts.length === 0) throw new Error(`consumer ${this.group}: no @IntegrationEventHandler registered for it`);
    return new IntegrationEventProcessor({
      group: this.group,
      contracts,
      dedupe: this.settings.dedupe,
      deadLetters: this.deadLetters,
      logger: this.messagingLogger,
      ...(this.settings.metrics !== undefined ? { metrics: this.settings.metrics } : {}),
      ...(this.settings.maxAttempts !== undefined ? { maxAttempts: this.settings.maxAttempts } : {}),
      ...(this.settings.retry ? { retry: this.settings.retry } : {}),
      ...(this.settings.infrastructureRetry ? { infrastructureRetry: this.settings.infrastructureRetry } : {}),
      ...(this.settings.unknownTypes ? { unknownTypes: this.settings.unknownTypes } : {}),
    });
  }

  /**
   * With `dedupe.retentionMs`, forgets processed-event records older than the retention: at
   * start, then every quarter of the retention (at least every second, at most every hour).
   * Chained timeouts, so a slow sweep never overlaps the next.
   */
  private scheduleSweep(delayMs: number): void {
    const { dedupe } = this.settings;
    if (dedupe.by !== 'event-id' || dedupe.retentionMs === undefined || this.abort.signal.aborted) return;
    const retentionMs = dedupe.retentionMs;
    this.sweepTimer = setTimeout(() => {
      this.sweeping = dedupe.store
        .forgetBefore(this.group, new Date(Date.now() - retentionMs))
        .then((forgotten) => {
          if (forgotten > 0) this.messagingLogger.info(`consumer ${this.group}: forgot ${forgotten} processed-event records past the retention`, { group: this.group, forgotten });
        })
        .catch((error: unknown) => this.messagingLogger.warn(`consumer ${this.group}: forgetting old processed events failed`, { group: this.group, error: errorMessage(error) }))
        .finally(() => this.scheduleSweep(Math.min(3_600_000, Math.max(1000, retentionMs / 4))));
    }, delayMs);
    this.sweepTimer.unref();
  }

  /** (Re)joins the group until closed: one session per kafkajs consumer, back-off in between. */
  private async supervise(): Promise<void> {
    const reconnect = this.settings.reconnect ?? DEFAULT_RECONNECT;
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      const session = this.openSession();
      try {
        // Joining can hang in the client's own connection retries while the broker is down;
        // close() must not wait for them.
        if ((await this.untilAborted(this.startSession(session))) === ABORTED) break;
        attempt = 0;
        if ((await this.untilAborted(session.crashed)) === ABORTED) break;
      } catch (error) {
        if (this.abort.signal.aborted) break;
        this.failed(error, attempt);
      }
      await this.endSession(session);
      if (this.abort.signal.aborted) break;
      this.state = 'reconnecting';
      await sleep(backoffDelay(reconnect, Math.max(1, attempt)), this.abort.signal).catch(() => undefined);
    }
  }

  private openSession(): Session {
    const consumer = this.kafka.consumer({ ...DEFAULT_GROUP_TIMING, ...this.settings.consumer, groupId: this.group });
    // Nest's KafkaContext offers handlers a producer (for replies); integration events never
    // publish from a handler (they go through an event store and its relay), so kafkajs defaults.
    const producer = this.kafka.producer();
    const crashed = new Promise<never>((_, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) {
          reject(payload.error);
          return;
        }
        // kafkajs restarts the consumer itself; until it rejoins the group, say so (not while closing).
        if (!this.abort.signal.aborted) this.state = 'reconnecting';
        this.recordError(payload.error);
      });
    });
    crashed.catch(() => undefined);
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (!this.abort.signal.aborted) this.state = 'running';
      this.lastError = null;
      this.assignments = Object.entries(payload.memberAssignment).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
      this.joinedOnce();
    });
    const session: Session = { consumer, producer, crashed };
    this.session = session;
    // Nest's own status observable (connected, rebalancing, crashed, …) follows this consumer.
    this.consumer = consumer;
    this.producer = producer;
    this.registerConsumerEventListeners();
    return session;
  }

  private async startSession({ consumer, producer, crashed }: Session): Promise<void> {
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.connect();
    await producer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: this.settings.fromBeginning ?? true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: this.settings.commitIntervalMs ?? 1000,
      ...(this.settings.commitThreshold !== undefined ? { autoCommitThreshold: this.settings.commitThreshold } : {}),
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload, consumer, producer),
    });
    await Promise.race([joined, crashed]);
  }

  /** Disconnecting waits for the batch in hand (see close) and commits what was resolved. */
  private async endSession(session: Session | undefined): Promise<void> {
    if (!session) return;
    await session.consumer.disconnect().catch((error: unknown) => this.messagingLogger.warn(`consumer ${this.group}: disconnect failed`, { error: errorMessage(error) }));
    await session.producer.disconnect().catch(() => undefined);
  }

  private async eachBatch(payload: EachBatchPayload, consumer: Consumer, producer: Producer): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const processor = this.processor;
    if (!processor) return;
    const controls = { heartbeat, shouldContinue: () => isRunning() && !isStale() };
    const highWatermark = Number(batch.highWatermark);
    const handleOne = (message: KafkaMessage): Promise<ProcessResult> => {
      const context = new KafkaContext([message, batch.partition, batch.topic, consumer, heartbeat, producer]);
      return processor.process(
        { topic: batch.topic, partition: batch.partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers },
        controls,
        (event) => this.invokeHandler(batch.topic, event, context),
      );
    };
    // Handled: the offset may be committed (everything before it in the partition is handled too).
    const settle = (message: KafkaMessage, result: Exclude<ProcessResult, 'aborted'>): void => {
      resolveOffset(message.offset);
      this.handled.set(`${batch.topic}:${batch.partition}`, Number(message.offset) + 1);
      this.outcomes[result]++;
      this.lastMessageAt = new Date();
      this.metrics?.lag.set({ group: this.group, topic: batch.topic, partition: String(batch.partition) }, Math.max(0, highWatermark - Number(message.offset) - 1));
    };
    if ((this.settings.keyConcurrency ?? 1) > 1) return this.eachBatchByKey(batch.messages, controls, handleOne, settle, commitOffsetsIfNecessary, heartbeat);
    for (const message of batch.messages) {
      if (!controls.shouldContinue()) break;
      const result = await handleOne(message);
      // Not resolved: the message is delivered again after the restart or rebalance.
      if (result === 'aborted') break;
      settle(message, result);
      await commitOffsetsIfNecessary();
      // Between messages a rebalance may surface here; kafkajs then commits what is resolved.
      await heartbeat();
    }
  }

  /**
   * `keyConcurrency` messages at a time, each key's in order; offsets settle in partition order,
   * as far as every earlier message is handled. After an abort (stop, rebalance) nothing new
   * starts and nothing from the aborted message on settles: it is all delivered again.
   */
  private async eachBatchByKey(
    messages: readonly KafkaMessage[],
    controls: { shouldContinue(): boolean },
    handleOne: (message: KafkaMessage) => Promise<ProcessResult>,
    settle: (message: KafkaMessage, result: Exclude<ProcessResult, 'aborted'>) => void,
    commitOffsetsIfNecessary: () => Promise<void>,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const limit = this.settings.keyConcurrency ?? 1;
    const results: (ProcessResult | undefined)[] = new Array<ProcessResult | undefined>(messages.length);
    let settled = 0;
    let aborted = false;
    const settleInOrder = (): void => {
      for (let result = results[settled]; result !== undefined && result !== 'aborted'; result = results[settled]) {
        settle(messages[settled] as KafkaMessage, result);
        settled++;
      }
    };
    const lastOfKey = new Map<string, Promise<void>>();
    const running = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    for (let i = 0; i < messages.length && !aborted && !failure && controls.shouldContinue(); i++) {
      while (running.size >= limit) await Promise.race(running);
      if (aborted || failure) break;
      const message = messages[i] as KafkaMessage;
      const key = message.key ? message.key.toString('latin1') : '';
      const task: Promise<void> = (lastOfKey.get(key) ?? Promise.resolve()).then(async () => {
        // An earlier message of the key did not finish: this one must not overtake it.
        if (aborted || failure) return;
        const result = await handleOne(message);
        results[i] = result;
        if (result === 'aborted') aborted = true;
        settleInOrder();
        await commitOffsetsIfNecessary();
        await heartbeat();
      });
      const tracked = task.catch((error: unknown) => {
        failure ??= { error };
      });
      lastOfKey.set(key, tracked);
      running.add(tracked);
      void tracked.finally(() => {
        running.delete(tracked);
        if (lastOfKey.get(key) === tracked) lastOfKey.delete(key);
      });
    }
    await Promise.all(running);
    // What failed unexpectedly is the batch's error (kafkajs retries the batch from the first unsettled offset).
    if (failure) throw failure.error;
  }

  /**
   * Runs the Nest handler of the topic (guards, interceptors, pipes, and the error filter that
   * hands errors back unchanged) as ServerKafka's `handleEvent` does — inside Nest's processing
   * hooks, awaiting a promise or the last value of an observable, so the processor sees the end of
   * the effect — but with the handler resolved once: `handleEvent` looks it up per message through
   * a `JSON.parse` of the pattern that throws for every plain topic (measured: the largest single
   * cost per message in the kafka-consumer benchmark).
   *
   * The handler runs in the platform's request context, as an HTTP request does: the event's
   * correlation id (or, without one, its id) and a child span of its `traceparent`, so the
   * service's logs and the commands the handler issues continue the trace across Kafka. No actor:
   * what the handler does is the consuming service's act, not the original caller's.
   */
  private invokeHandler(topic: string, event: CloudEventOf<AnyIntegrationEventContract>, context: KafkaContext): Promise<void> {
    const handler = this.handlers.get(topic);
    if (!handler) return Promise.reject(new Error(`consumer ${this.group}: no handler for ${topic}`));
    const transportId = this.transportId ?? Transport.KAFKA;
    const run = async (): Promise<void> => {
      const result: unknown = await handler(event, context);
      if (isObservable(result)) {
        await lastValueFrom(result, { defaultValue: undefined });
        this.onProcessingEndHook?.(transportId, context);
      }
    };
    const trace = { correlationId: correlationIdFrom(event.correlationid ?? event.id), traceparent: childTraceparent(event.traceparent) };
    return requestContext.run(
      trace,
      () =>
        new Promise<void>((resolve, reject) => {
          this.onProcessingStartHook(transportId, context, () => {
            const done = run();
            done.then(resolve, reject);
            return done;
          });
        }),
    );
  }

  private untilAborted<T>(work: Promise<T>): Promise<T | typeof ABORTED> {
    work.catch(() => undefined);
    return Promise.race([work, this.aborted]);
  }

  private failed(error: unknown, attempt: number): void {
    this.recordError(error);
    this.state = 'reconnecting';
    this.messagingLogger.warn(`consumer ${this.group}: lost the broker; retrying with back-off`, { group: this.group, attempt, error: this.lastError });
  }

  private recordError(error: unknown): void {
    this.lastError = errorMessage(error);
    this.lastErrorAt = new Date();
  }
}
