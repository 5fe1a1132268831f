import type { ConsumerLag, ConsumerState, ConsumerStatus, SupervisedConsumer } from './cloud-events-kafka.server';
import { kafkaConsumerHealthCheck } from './kafka-consumer.health-check';

/*
 * The check's rules over the SupervisedConsumer port. A CloudEventsKafkaServer against the real
 * broker (running, unreachable, stopped) is checked in int/cloud-events-kafka-server.int.spec.ts;
 * here the inputs that are hard to produce on a real broker on demand: a given lag, a broker that
 * does not answer in time.
 */
class ConsumerAt implements SupervisedConsumer {
  readonly group = 'svc.orders';
  constructor(
    private readonly state: ConsumerState,
    private readonly lagAnswer: () => Promise<ConsumerLag>,
    private readonly lastError: string | null = null,
  ) {}
  consumerStatus(): ConsumerStatus {
    return {
      group: this.group,
      state: this.state,
      lastError: this.lastError,
      lastErrorAt: null,
      lastMessageAt: null,
      messages: { handled: 0, duplicate: 0, skipped: 0, 'dead-lettered': 0 },
      assignments: [],
    };
  }
  lag(): Promise<ConsumerLag> {
    return this.lagAnswer();
  }
}

const lagOf = (total: number): ConsumerLag => ({ total, partitions: [{ topic: 't', partition: 0, high: 100, position: 100 - total, lag: total }] });

describe('kafkaConsumerHealthCheck', () => {
  it('is up with the status and the lag while running within the limit', async () => {
    const check = kafkaConsumerHealthCheck(new ConsumerAt('running', async () => lagOf(5)), { maxLag: 5 });
    expect(check.name).toBe('consumer:svc.orders');
    await expect(check.check()).resolves.toEqual({ consumer: expect.objectContaining({ state: 'running' }), lag: lagOf(5) });
  });

  it('is down above the lag limit, saying by how much', async () => {
    const check = kafkaConsumerHealthCheck(new ConsumerAt('running', async () => lagOf(6)), { maxLag: 5, name: 'orders' });
    await expect(check.check()).rejects.toThrow('consumer svc.orders is 6 messages behind (limit 5)');
  });

  it('is down out of the group with the last error, unless told to tolerate it', async () => {
    const consumer = new ConsumerAt('reconnecting', () => Promise.reject(new Error('ECONNREFUSED')), 'Connection error: ECONNREFUSED');
    await expect(kafkaConsumerHealthCheck(consumer).check()).rejects.toThrow('consumer svc.orders is reconnecting: Connection error: ECONNREFUSED');
    await expect(kafkaConsumerHealthCheck(consumer, { downWhileDisconnected: false }).check()).resolves.toMatchObject({
      lag: { unavailable: 'Error: ECONNREFUSED' },
    });
  });

  it('does not wait for a broker that does not answer', async () => {
    const check = kafkaConsumerHealthCheck(new ConsumerAt('running', () => new Promise<ConsumerLag>(() => undefined)), { lagTimeoutMs: 50 });
    await expect(check.check()).resolves.toMatchObject({ lag: { unavailable: 'Error: no answer from the broker within 50 ms' } });
  });

  it.each(['idle', 'stopping', 'stopped'] as const)('is down when %s, even when tolerant', async (state) => {
    const check = kafkaConsumerHealthCheck(new ConsumerAt(state, async () => lagOf(0)), { downWhileDisconnected: false });
    await expect(check.check()).rejects.toThrow(`consumer svc.orders is ${state}`);
  });
});
