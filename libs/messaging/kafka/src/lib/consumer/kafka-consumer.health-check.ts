import { errorMessage } from '../shared/messaging-logger';
import type { ConsumerLag, ConsumerStatus, SupervisedConsumer } from './cloud-events-kafka.server';

/** Options of {@link kafkaConsumerHealthCheck}. */
export interface KafkaConsumerHealthOptions {
  /** Name in the /health report (default `consumer:<group>`). */
  readonly name?: string;
  /**
   * Down while the consumer is not in its group (`connecting`, `reconnecting`) — default true.
   * A consumer whose service answers from a local projection by design during a broker outage
   * (the authority projection) passes false and is watched through its lag instead.
   */
  readonly downWhileDisconnected?: boolean;
  /** Down when more messages than this wait across the group's partitions (default: no limit). */
  readonly maxLag?: number;
  /** How long to wait for the broker's offsets, in ms (default 2000); /health must answer promptly. */
  readonly lagTimeoutMs?: number;
}

/** What the check reports about the consumer when it is up (a type, not an interface: /health takes it as a record). */
export type KafkaConsumerHealthDetails = {
  /** Not `status`: /health puts its own `status: 'up'` beside these fields. */
  readonly consumer: ConsumerStatus;
  /** Lag per partition, or why it could not be read (the broker is unreachable). */
  readonly lag: ConsumerLag | { readonly unavailable: string };
};

/** A named check as `PlatformModule.forRoot({ healthChecks })` takes it (`HealthCheckSpec`). */
export interface KafkaConsumerHealthCheck {
  readonly name: string;
  /** Throws (down) with the reason; resolves with status and lag otherwise. */
  check(): Promise<KafkaConsumerHealthDetails>;
}

class ConsumerUnhealthyError extends Error {
  override readonly name = 'ConsumerUnhealthyError';
}

/**
 * A /health check for a supervised consumer (CloudEventsKafkaServer): down when it is stopped,
 * when it is out of its group (unless `downWhileDisconnected: false`; the message carries the
 * last error) or when its lag exceeds `maxLag`; up with the status and the lag per partition
 * otherwise.
 */
export function kafkaConsumerHealthCheck(consumer: SupervisedConsumer, options: KafkaConsumerHealthOptions = {}): KafkaConsumerHealthCheck {
  return {
    name: options.name ?? `consumer:${consumer.group}`,
    async check() {
      const status = consumer.consumerStatus();
      if (status.state === 'idle' || status.state === 'stopping' || status.state === 'stopped') {
        throw new ConsumerUnhealthyError(`consumer ${status.group} is ${status.state}`);
      }
      if ((options.downWhileDisconnected ?? true) && status.state !== 'running') {
        throw new ConsumerUnhealthyError(`consumer ${status.group} is ${status.state}${status.lastError ? `: ${status.lastError}` : ''}`);
      }
      const lag = await withTimeout(consumer.lag(), options.lagTimeoutMs ?? 2000).catch((error: unknown) => ({ unavailable: errorMessage(error) }));
      if (options.maxLag !== undefined && 'total' in lag && lag.total > options.maxLag) {
        throw new ConsumerUnhealthyError(`consumer ${status.group} is ${lag.total} messages behind (limit ${options.maxLag})`);
      }
      return { consumer: status, lag };
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the broker within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
