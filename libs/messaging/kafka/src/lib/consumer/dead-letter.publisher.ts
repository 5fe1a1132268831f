import type { Kafka } from 'kafkajs';
import { deadLetterTopicName } from '@leadership/messaging-contracts';
import type { IncomingKafkaHeaders, IncomingKafkaRecord } from '../shared/cloud-event.codec';
import { relayProducerConfig } from '../relay/integration-event.publisher';
import { LazyProducer } from '../shared/lazy-producer';

/** Why a message was parked. */
export type DeadLetterReason = 'undecodable' | 'invalid-data' | 'handler-failed';

/** A poison message and what is known about its failure. */
export interface DeadLetter {
  readonly record: IncomingKafkaRecord & { readonly partition: number; readonly offset: string };
  readonly group: string;
  readonly reason: DeadLetterReason;
  readonly error: string;
  /** Handler attempts made (0 when it was never handed to the handler). */
  readonly attempts: number;
}

/** Parks poison messages; resolves only once the parked copy is durably stored. */
export interface DeadLetterPublisher {
  park(letter: DeadLetter): Promise<void>;
  close(): Promise<void>;
}

/**
 * Headers added to a parked message (its own key, value and headers are kept as they were, so it
 * can be re-driven to the original topic unchanged once the cause is fixed).
 */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  error: 'dlq-error',
  group: 'dlq-group',
  attempts: 'dlq-attempts',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  parkedAt: 'dlq-parked-at',
} as const;

/** Error texts can be long (stacks, nested causes); a header is not a log file. */
const MAX_ERROR_LENGTH = 2000;

function copyHeaders(headers: IncomingKafkaHeaders | undefined): Record<string, Buffer | string | (Buffer | string)[]> {
  const copy: Record<string, Buffer | string | (Buffer | string)[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || name.startsWith('dlq-')) continue;
    copy[name] = Array.isArray(value) ? [...value] : (value as Buffer | string);
  }
  return copy;
}

/**
 * Parks messages on the group's dead-letter topic `leadership.dlq.<group>` (see
 * deadLetterTopicName) through an idempotent acks=all producer.
 */
export class KafkaDeadLetterPublisher implements DeadLetterPublisher {
  private readonly producer: LazyProducer;

  constructor(
    kafka: Kafka,
    private readonly topicOf: (group: string) => string = deadLetterTopicName,
  ) {
    this.producer = new LazyProducer(kafka, relayProducerConfig());
  }

  async park(letter: DeadLetter): Promise<void> {
    const H = DEAD_LETTER_HEADERS;
    const producer = await this.producer.get();
    try {
      await producer.send({
        topic: this.topicOf(letter.group),
        acks: -1,
        messages: [
          {
            key: letter.record.key,
            value: letter.record.value,
            headers: {
              ...copyHeaders(letter.record.headers),
              [H.reason]: letter.reason,
              [H.error]: letter.error.slice(0, MAX_ERROR_LENGTH),
              [H.group]: letter.group,
              [H.attempts]: String(letter.attempts),
              [H.originalTopic]: letter.record.topic,
              [H.originalPartition]: String(letter.record.partition),
              [H.originalOffset]: letter.record.offset,
              [H.parkedAt]: new Date().toISOString(),
            },
          },
        ],
      });
    } catch (error) {
      await this.producer.reset();
      throw error;
    }
  }

  close(): Promise<void> {
    return this.producer.reset();
  }
}
