import type { Kafka, Producer, ProducerConfig } from 'kafkajs';

/**
 * A kafkajs producer connected on first use and replaced after a failure: the next attempt
 * then starts with a new connection and a new producer id, with no sequence numbers left over
 * from a send that may or may not have been written.
 */
export class LazyProducer {
  private connecting: Promise<Producer> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: ProducerConfig,
  ) {}

  get(): Promise<Producer> {
    if (!this.connecting) {
      const producer = this.kafka.producer(this.config);
      const connecting = producer.connect().then(
        () => producer,
        async (error: unknown) => {
          if (this.connecting === connecting) this.connecting = undefined;
          await producer.disconnect().catch(() => undefined);
          throw error;
        },
      );
      this.connecting = connecting;
    }
    return this.connecting;
  }

  async reset(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    const producer = await connecting?.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }
}
