import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

/** What became of a consumed message. */
export type MessageOutcome = 'handled' | 'duplicate' | 'skipped' | 'dead-lettered';

/**
 * Prometheus metrics of the consumers in a process, one set per registry:
 * - leadership_consumer_messages_total{group,topic,outcome}: handled, duplicate (seen before),
 *   skipped (a type this consumer has no contract for), dead-lettered;
 * - leadership_consumer_handler_retries_total{group,topic}: handler failures that were retried;
 * - leadership_consumer_lag{group,topic,partition}: messages behind the partition's high watermark;
 * - leadership_consumer_handling_seconds{group,topic}: time per message, retries included.
 */
export class ConsumerMetrics {
  private static readonly byRegistry = new WeakMap<Registry, ConsumerMetrics>();

  static for(registry: Registry = defaultRegistry): ConsumerMetrics {
    let metrics = ConsumerMetrics.byRegistry.get(registry);
    if (!metrics) ConsumerMetrics.byRegistry.set(registry, (metrics = new ConsumerMetrics(registry)));
    return metrics;
  }

  readonly messages: Counter<'group' | 'topic' | 'outcome'>;
  readonly retries: Counter<'group' | 'topic'>;
  readonly lag: Gauge<'group' | 'topic' | 'partition'>;
  readonly handlingSeconds: Histogram<'group' | 'topic'>;

  private constructor(registry: Registry) {
    const registers = [registry];
    this.messages = new Counter({
      name: 'leadership_consumer_messages_total',
      help: 'Consumed messages by outcome (handled, duplicate, skipped, dead-lettered)',
      labelNames: ['group', 'topic', 'outcome'] as const,
      registers,
    });
    this.retries = new Counter({
      name: 'leadership_consumer_handler_retries_total',
      help: 'Handler failures that were retried after a back-off',
      labelNames: ['group', 'topic'] as const,
      registers,
    });
    this.lag = new Gauge({
      name: 'leadership_consumer_lag',
      help: 'Messages between the last handled offset and the high watermark, per partition',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers,
    });
    this.handlingSeconds = new Histogram({
      name: 'leadership_consumer_handling_seconds',
      help: 'Time to handle one message, retries and dead-lettering included',
      labelNames: ['group', 'topic'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
  }
}
