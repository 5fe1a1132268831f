import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

/**
 * Prometheus metrics of every relay in a process, one set per registry (label `relay`):
 * - leadership_relay_lag: head position of the event store minus the relay's checkpoint, read
 *   at scrape time. For the SQLite store positions count events, so it is the number of
 *   events not yet published; for EventStoreDB it is in log bytes (compare, do not add).
 * - leadership_relay_checkpoint_position: the stored checkpoint.
 * - leadership_relay_events_published_total{topic}: integration events acknowledged by Kafka.
 * - leadership_relay_batch_size: integration events per acknowledged sendBatch.
 * - leadership_relay_publish_failures_total: failed sends (each is retried).
 * - leadership_relay_progress_covered_until_seconds: with progress reports on, the moment (epoch
 *   seconds) the latest acknowledged report vouches for; `time() - it` is how far behind the event
 *   store the relay's consumers may be. It stops moving while the relay stops, fails or lags.
 * - leadership_relay_progress_failures_total: progress reports the broker did not acknowledge.
 */
export class RelayMetrics {
  private static readonly byRegistry = new WeakMap<Registry, RelayMetrics>();

  static for(registry: Registry = defaultRegistry): RelayMetrics {
    let metrics = RelayMetrics.byRegistry.get(registry);
    if (!metrics) RelayMetrics.byRegistry.set(registry, (metrics = new RelayMetrics(registry)));
    return metrics;
  }

  readonly published: Counter<'relay' | 'topic'>;
  readonly batchSize: Histogram<'relay'>;
  readonly publishFailures: Counter<'relay'>;
  readonly checkpoint: Gauge<'relay'>;
  readonly lag: Gauge<'relay'>;
  readonly progressCoveredUntil: Gauge<'relay'>;
  readonly progressFailures: Counter<'relay'>;
  private readonly lagSources = new Map<string, () => Promise<bigint | undefined>>();

  private constructor(registry: Registry) {
    const registers = [registry];
    this.published = new Counter({
      name: 'leadership_relay_events_published_total',
      help: 'Integration events the broker acknowledged, by relay and topic',
      labelNames: ['relay', 'topic'] as const,
      registers,
    });
    this.batchSize = new Histogram({
      name: 'leadership_relay_batch_size',
      help: 'Integration events per acknowledged batch',
      labelNames: ['relay'] as const,
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
      registers,
    });
    this.publishFailures = new Counter({
      name: 'leadership_relay_publish_failures_total',
      help: 'Failed batch sends; the same batch is retried after a back-off',
      labelNames: ['relay'] as const,
      registers,
    });
    this.checkpoint = new Gauge({
      name: 'leadership_relay_checkpoint_position',
      help: 'Global position of the last event whose integration events were acknowledged',
      labelNames: ['relay'] as const,
      registers,
    });
    this.progressCoveredUntil = new Gauge({
      name: 'leadership_relay_progress_covered_until_seconds',
      help: 'Every event committed to the store before this moment (epoch seconds) is on the topics, per the latest acknowledged progress report',
      labelNames: ['relay'] as const,
      registers,
    });
    this.progressFailures = new Counter({
      name: 'leadership_relay_progress_failures_total',
      help: 'Progress reports the broker did not acknowledge (the next tick sends a new one)',
      labelNames: ['relay'] as const,
      registers,
    });
    const sources = this.lagSources;
    this.lag = new Gauge({
      name: 'leadership_relay_lag',
      help: 'Event store head position minus relay checkpoint (events not yet published, for SQLite)',
      labelNames: ['relay'] as const,
      registers,
      async collect() {
        this.reset();
        await Promise.all(
          [...sources].map(async ([relay, lagOf]) => {
            const lag = await lagOf().catch(() => undefined);
            if (lag !== undefined) this.set({ relay }, Number(lag));
          }),
        );
      },
    });
  }

  /** Makes the relay's lag part of every scrape; returns the function that removes it. */
  trackLag(relay: string, lagOf: () => Promise<bigint | undefined>): () => void {
    this.lagSources.set(relay, lagOf);
    return () => {
      if (this.lagSources.get(relay) === lagOf) this.lagSources.delete(relay);
    };
  }
}
