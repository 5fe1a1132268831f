import type { CompressionTypes, Kafka, ProducerConfig } from 'kafkajs';
import type { OutgoingKafkaMessage } from '../shared/cloud-event.codec';
import { LazyProducer } from '../shared/lazy-producer';

/** Where the relay hands its batches: resolves only once the broker acknowledged every record. */
export interface IntegrationEventPublisher {
  /**
   * Sends the records in order. Resolves when all are acknowledged by all in-sync replicas;
   * rejects otherwise, in which case any subset may have been written (the caller retries the
   * whole batch: at least once).
   */
  publish(messages: readonly OutgoingKafkaMessage[]): Promise<void>;
  /** Forgets the connection after a failure, so the next publish starts with a fresh producer. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link KafkaIntegrationEventPublisher}. */
export interface KafkaIntegrationEventPublisherOptions {
  /**
   * Retries kafkajs makes inside one publish before it fails (default 5). Bounded on purpose: a
   * failed publish surfaces in the relay's metrics and status, and the relay retries the batch
   * with a fresh producer instead of hanging inside the client.
   */
  readonly retries?: number;
  /** How long the broker may take to acknowledge, in ms (default 30000). */
  readonly ackTimeoutMs?: number;
  readonly compression?: CompressionTypes;
  /** Further producer settings (never weaken idempotence or acks). */
  readonly producer?: Omit<ProducerConfig, 'idempotent' | 'retry'>;
}

/**
 * The producer settings of the relay: idempotent (the broker drops a retried duplicate within a
 * producer session), one request in flight per broker (retries cannot reorder a partition), acks
 * from all in-sync replicas. Exported so the benchmark's baseline uses the very same settings.
 */
export function relayProducerConfig(options: KafkaIntegrationEventPublisherOptions = {}): ProducerConfig {
  return {
    allowAutoTopicCreation: true,
    ...options.producer,
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: options.retries ?? 5, initialRetryTime: 100, maxRetryTime: 2000 },
  };
}

/** Groups records by topic for one `sendBatch`, keeping their order within each topic. */
export function toTopicMessages(messages: readonly OutgoingKafkaMessage[]): { topic: string; messages: { key: string; value: string; headers: Record<string, string> }[] }[] {
  const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
  for (const m of messages) {
    let list = byTopic.get(m.topic);
    if (!list) byTopic.set(m.topic, (list = []));
    list.push({ key: m.key, value: m.value, headers: { ...m.headers } });
  }
  return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
}

/** Publishes through a kafkajs idempotent producer with acks=all (`acks: -1`). */
export class KafkaIntegrationEventPublisher implements IntegrationEventPublisher {
  private readonly producer: LazyProducer;

  constructor(
    kafka: Kafka,
    private readonly options: KafkaIntegrationEventPublisherOptions = {},
  ) {
    this.producer = new LazyProducer(kafka, relayProducerConfig(options));
  }

  /** Connects ahead of the first publish (optional: publish connects on demand). */
  async connect(): Promise<void> {
    await this.producer.get();
  }

  async publish(messages: readonly OutgoingKafkaMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.producer.get();
    await producer.sendBatch({
      topicMessages: toTopicMessages(messages),
      acks: -1,
      timeout: this.options.ackTimeoutMs ?? 30_000,
      ...(this.options.compression !== undefined ? { compression: this.options.compression } : {}),
    });
  }

  reset(): Promise<void> {
    return this.producer.reset();
  }

  close(): Promise<void> {
    return this.producer.reset();
  }
}
