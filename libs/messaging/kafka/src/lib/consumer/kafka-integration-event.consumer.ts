import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import type { AnyIntegrationEventContract } from '@leadership/messaging-contracts';
import { ConsumerMetrics } from './consumer.metrics';
import { KafkaDeadLetterPublisher, type DeadLetterPublisher } from './dead-letter.publisher';
import { IntegrationEventProcessor, type IntegrationEventProcessorOptions } from './integration-event.processor';

/** Options of {@link KafkaIntegrationEventConsumer}. */
export interface KafkaIntegrationEventConsumerOptions<C extends AnyIntegrationEventContract>
  extends Omit<IntegrationEventProcessorOptions<C>, 'deadLetters'> {
  readonly kafka: Kafka;
  /** Default: the group's dead-letter topic `leadership.dlq.<group>` on the same cluster. */
  readonly deadLetters?: DeadLetterPublisher;
  /** Where a new group starts: the beginning of each topic (default) or its end. */
  readonly fromBeginning?: boolean;
  /** Commit handled offsets at least this often, in ms (default 1000)… */
  readonly commitIntervalMs?: number;
  /** …or after this many handled messages (default 100), and always at batch end and on stop. */
  readonly commitThreshold?: number;
  /** Partitions handled in parallel (default 1); order within a partition is always kept. */
  readonly partitionsConsumedConcurrently?: number;
  /** Further kafkajs consumer settings (session timeout, fetch sizes, …). */
  readonly consumer?: Omit<ConsumerConfig, 'groupId'>;
}

/**
 * Runs an IntegrationEventProcessor on a kafkajs consumer group.
 *
 * Why eachBatch with manual resolveOffset rather than eachMessage: the processor may wait long
 * (retry back-off, unreachable store) and must heartbeat meanwhile; it must be able to stop in
 * the middle of a batch without marking the rest as done; and an offset must be resolved only
 * after its message was handled or parked. eachBatch gives heartbeat(), isRunning()/isStale()
 * and resolveOffset() for exactly that. Offsets are committed every commitIntervalMs or
 * commitThreshold messages, at the end of each batch and when stopping, so a graceful stop
 * commits everything handled and a crash replays at most the uncommitted tail — which the
 * processed-events store turns into duplicates that are skipped.
 */
export class KafkaIntegrationEventConsumer<C extends AnyIntegrationEventContract> {
  readonly processor: IntegrationEventProcessor<C>;
  /** Resolves after stop(); rejects when kafkajs gives up (a crash it does not restart from). */
  readonly done: Promise<void>;

  private readonly consumer: Consumer;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly metrics: ConsumerMetrics | undefined;
  private started = false;
  private stopping: Promise<void> | undefined;
  private settle!: { resolve: () => void; reject: (error: Error) => void };

  constructor(private readonly options: KafkaIntegrationEventConsumerOptions<C>) {
    this.deadLetters = options.deadLetters ?? new KafkaDeadLetterPublisher(options.kafka);
    this.processor = new IntegrationEventProcessor({ ...options, deadLetters: this.deadLetters });
    this.metrics = options.metrics === false ? undefined : ConsumerMetrics.for(options.metrics);
    this.consumer = options.kafka.consumer({ ...options.consumer, groupId: options.group });
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined);
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.settle.reject(payload.error);
    });
  }

  /** Connects, subscribes to the contracts' topics and resolves once the group assigned partitions. */
  async start(): Promise<void> {
    if (this.started) throw new Error(`consumer ${this.options.group} was already started`);
    this.started = true;
    const joined = new Promise<void>((resolve) => {
      const off = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.processor.topics], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: this.options.commitIntervalMs ?? 1000,
      autoCommitThreshold: this.options.commitThreshold ?? 100,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    await Promise.race([joined, this.done]);
  }

  /**
   * Finishes the message in hand (an effect already applied is recorded before it returns),
   * commits every handled offset, leaves the group and closes the dead-letter producer.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await this.consumer.disconnect();
        await this.deadLetters.close();
        this.settle.resolve();
      } catch (error) {
        this.settle.reject(error as Error);
        throw error;
      }
    })();
    return this.stopping;
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const controls = { heartbeat, shouldContinue: () => isRunning() && !isStale() };
    const highWatermark = Number(batch.highWatermark);
    for (const message of batch.messages) {
      if (!controls.shouldContinue()) break;
      const result = await this.processor.process(
        { topic: batch.topic, partition: batch.partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers },
        controls,
      );
      // Not resolved: the message is delivered again after the restart or rebalance.
      if (result === 'aborted') break;
      resolveOffset(message.offset);
      this.metrics?.lag.set(
        { group: this.options.group, topic: batch.topic, partition: String(batch.partition) },
        Math.max(0, highWatermark - Number(message.offset) - 1),
      );
      await commitOffsetsIfNecessary();
      // Between messages a rebalance may surface here; kafkajs then commits what is resolved.
      await heartbeat();
    }
  }
}
