import { Counter, Gauge, register as defaultRegistry, type Registry } from 'prom-client';

/** What a scrape reads from one projector (its status, measured at scrape time). */
export interface ProjectionGaugeSource {
  lag(): Promise<{ readonly events: number; readonly ms: number } | undefined>;
  appliedPosition(): bigint | undefined;
  state(): string;
}

const STATES = ['running', 'retrying', 'stopped'] as const;

/**
 * Prometheus metrics of every projector in a process, one set per registry (label `projection`):
 * - leadership_projection_lag_events: event-store head minus the applied position, at scrape time
 *   (events for the SQLite store, whose positions are consecutive; log bytes for EventStoreDB);
 * - leadership_projection_lag_seconds: age of the oldest event not yet applied (0 when caught up);
 * - leadership_projection_applied_position: global position of the last event applied;
 * - leadership_projection_state{state}: 1 for the projector's current state;
 * - leadership_projection_events_applied_total, leadership_projection_apply_failures_total,
 *   leadership_projection_events_parked_total: alert on the last one (a poison event).
 */
export class ProjectionMetrics {
  private static readonly byRegistry = new WeakMap<Registry, ProjectionMetrics>();

  static for(registry: Registry = defaultRegistry): ProjectionMetrics {
    let metrics = ProjectionMetrics.byRegistry.get(registry);
    if (!metrics) ProjectionMetrics.byRegistry.set(registry, (metrics = new ProjectionMetrics(registry)));
    return metrics;
  }

  readonly applied: Counter<'projection'>;
  readonly failures: Counter<'projection'>;
  readonly parked: Counter<'projection'>;
  private readonly sources = new Map<string, ProjectionGaugeSource>();

  private constructor(registry: Registry) {
    const registers = [registry];
    const sources = this.sources;
    this.applied = new Counter({ name: 'leadership_projection_events_applied_total', help: 'Events applied to the read model', labelNames: ['projection'] as const, registers });
    this.failures = new Counter({
      name: 'leadership_projection_apply_failures_total',
      help: 'Failed applies (each is retried with back-off, or parked as poison)',
      labelNames: ['projection'] as const,
      registers,
    });
    this.parked = new Counter({
      name: 'leadership_projection_events_parked_total',
      help: 'Poison events parked in projection_parked (the read model is missing them: alert)',
      labelNames: ['projection'] as const,
      registers,
    });
    new Gauge({
      name: 'leadership_projection_applied_position',
      help: 'Global position of the last event the projector applied',
      labelNames: ['projection'] as const,
      registers,
      collect() {
        this.reset();
        for (const [projection, source] of sources) {
          const position = source.appliedPosition();
          if (position !== undefined) this.set({ projection }, Number(position));
        }
      },
    });
    new Gauge({
      name: 'leadership_projection_state',
      help: 'Projector state: 1 for the current one of running, retrying, stopped',
      labelNames: ['projection', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const [projection, source] of sources) for (const state of STATES) this.set({ projection, state }, source.state() === state ? 1 : 0);
      },
    });
    const lags = new Map<string, Promise<{ events: number; ms: number } | undefined>>();
    // Both lag gauges read one measurement per scrape.
    const lagOf = (projection: string, source: ProjectionGaugeSource) => {
      let pending = lags.get(projection);
      if (!pending) {
        pending = source.lag().catch(() => undefined);
        lags.set(projection, pending);
        void pending.finally(() => setTimeout(() => lags.delete(projection), 100).unref());
      }
      return pending;
    };
    const lagGauge = (name: string, help: string, value: (lag: { events: number; ms: number }) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['projection'] as const,
        registers,
        async collect() {
          this.reset();
          await Promise.all(
            [...sources].map(async ([projection, source]) => {
              const lag = await lagOf(projection, source);
              if (lag) this.set({ projection }, value(lag));
            }),
          );
        },
      });
    lagGauge('leadership_projection_lag_events', 'Event store head position minus the applied position (events, for SQLite)', (lag) => lag.events);
    lagGauge('leadership_projection_lag_seconds', 'Age of the oldest committed event the projector has not applied yet (0 when caught up)', (lag) => lag.ms / 1000);
  }

  /** Makes the projector's gauges part of every scrape; returns the function that removes them. */
  track(projection: string, source: ProjectionGaugeSource): () => void {
    this.sources.set(projection, source);
    return () => {
      if (this.sources.get(projection) === source) this.sources.delete(projection);
    };
  }
}
