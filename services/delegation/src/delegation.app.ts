import { FrameworkCheckCatalogue } from '@leadership/delegation-contracts';
import { delegationFrameworkChecks } from './framework-checks';
import { HashChainedEventStore } from '@leadership/audit';
import { MANDATE_STREAM_CATEGORY, PERSON_STREAM_CATEGORY, UNIT_STREAM_CATEGORY } from '@leadership/delegation-domain';
import {
  createDelegationParts,
  delegationAggregateStates,
  delegationIntegrationEvents,
  delegationRelayProgress,
  delegationTopics,
  DelegationScheduler,
  REMINDER_STREAM_CATEGORY,
  type DelegationParts,
  type PublishedState,
} from '@leadership/delegation-infrastructure';
import { EventStoreKafkaRelay, KafkaIntegrationEventPublisher, MongoRelayCheckpointStore, relayHealthCheck } from '@leadership/messaging-kafka';
import type { AuthConfig } from '@leadership/platform-nest';
import { componentLogger, infrastructureHealthChecks, startService, type RunningService, type ServiceWorker } from '@leadership/platform-runtime';
import { projectorHealthCheck } from '@leadership/projection';
import type { DelegationConfig } from './delegation.config';
import { DelegationModule } from './delegation.module';

/** The running delegation service (main.ts, end-to-end tests and benchmarks start it in-process). */
export interface DelegationRuntime extends RunningService {
  readonly parts: DelegationParts;
  readonly scheduler: DelegationScheduler;
  /** Undefined when the relay is disabled (DELEGATION_RELAY=off, DELEGATION_ROLE=api). */
  readonly relay: EventStoreKafkaRelay<PublishedState> | undefined;
}

export interface DelegationServiceOptions {
  /** Overrides the configured auth (tests pass their own dev issuer key). */
  readonly auth?: AuthConfig;
  /** The service's clock (tests pin it). */
  readonly now?: () => Date;
}

/**
 * The delegation service, composed on the platform runtime (startService):
 * - the event store is hash-chained (every append) for the audit's integrity checks;
 * - foundation: authority now in memory (folded from the store), and the read-model projector
 *   (queries right after start find it running);
 * - HTTP: directory, catalogue, mandates, authority, audit — each controller on its narrow port;
 * - background: the scheduler (activations, expiries, reminders) and the relay that publishes
 *   the integration events from a checkpointed subscription (never inline after an append);
 * - /health: store, database, projector lag, relay.
 */
export async function startDelegationService(config: DelegationConfig, options: DelegationServiceOptions = {}): Promise<DelegationRuntime> {
  let parts: DelegationParts | undefined;
  let scheduler: DelegationScheduler | undefined;
  let relay: EventStoreKafkaRelay<PublishedState> | undefined;
  const running = await startService({
    config,
    decorateStore: (store) => new HashChainedEventStore(store),
    ...(options.now ? { now: options.now } : {}),
    compose(infrastructure) {
      const { store, connection, registry, logger, kafka, now } = infrastructure;
      const db = connection.db;
      if (!db) throw new Error('MongoDB connection has no database');
      parts = createDelegationParts(store, db, now, { metrics: registry, logger: componentLogger(logger, 'projector') }, new FrameworkCheckCatalogue(delegationFrameworkChecks));
      const { projector, authority } = parts;
      scheduler = new DelegationScheduler(parts, config.schedulerIntervalMs, logger);
      const schedulerWorker: ServiceWorker = { name: 'scheduler', start: async () => scheduler?.start(), stop: async () => scheduler?.stop() };
      relay = config.relayEnabled
        ? new EventStoreKafkaRelay({
            name: 'delegation',
            eventStore: store,
            aggregates: delegationAggregateStates(store),
            checkpoints: MongoRelayCheckpointStore.inDatabase(db),
            mapper: delegationIntegrationEvents,
            publisher: new KafkaIntegrationEventPublisher(kafka),
            filter: { streamCategories: [MANDATE_STREAM_CATEGORY, UNIT_STREAM_CATEGORY, PERSON_STREAM_CATEGORY, REMINDER_STREAM_CATEGORY] },
            // Every 100 ms "all committed before T is on the topics": the other services' authority
            // projections bound their staleness against this store with it, and go stale when it stops.
            progress: delegationRelayProgress(100),
            metrics: registry,
            logger: componentLogger(logger, 'relay'),
          })
        : undefined;
      const started = relay;
      return {
        httpModule: DelegationModule.forRoot({
          parts,
          connection,
          auth: options.auth ?? config.auth,
          metricsRegistry: registry,
          healthChecks: [...infrastructureHealthChecks(infrastructure), projectorHealthCheck(projector), ...(started ? [relayHealthCheck(started)] : [])],
        }),
        http: {
          title: 'Delegation service',
          description: 'Directory, task-type catalogue, event-sourced mandates, authority checks and audit for compliance.',
          version: '1.0.0',
          bodyLimit: '256kb',
          // The JSON form of the import; larger imports stream as NDJSON (not parsed here: read by the route, after authorisation).
          bodyLimits: { '/directory/import': '10mb' },
        },
        foundation: [
          // Authority now and the scheduler answer from memory: folded from the store before HTTP opens.
          { name: 'current-authority', start: () => authority.catchUp(), stop: async () => undefined },
          { name: 'projector', start: () => projector.start(), stop: () => projector.stop() },
        ],
        background: [schedulerWorker, ...(started ? [{ name: 'relay', start: () => started.start(), stop: () => started.stop() }] : [])],
        ...(config.relayEnabled ? { topics: delegationTopics } : {}),
      };
    },
  });
  if (!parts || !scheduler) throw new Error('delegation service composed without its parts');
  return { ...running, parts, scheduler, relay };
}
