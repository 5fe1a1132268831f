import { AuthorityConsumer, AuthorityProjection, MongoAuthorityStore, authorityHealthCheck } from '@leadership/authority';
import { EventStoreKafkaRelay, KafkaIntegrationEventPublisher, MongoRelayCheckpointStore, relayHealthCheck } from '@leadership/messaging-kafka';
import type { AuthConfig } from '@leadership/platform-nest';
import { componentLogger, infrastructureHealthChecks, type ServiceConfig, type ServiceDefinition, type ServiceWorker } from '@leadership/platform-runtime';
import { MongoProjectionBookkeeping, Projector, projectorHealthCheck } from '@leadership/projection';
import { PLANS_TOPIC } from '@leadership/onboarding-contracts';
import { PLAN_STREAM_CATEGORY } from '@leadership/onboarding-domain';
import { planAggregateStates, planIntegrationEvents, PlanReadModel } from '@leadership/onboarding-infrastructure';
import { OnboardingModule } from './onboarding.module';

export interface OnboardingServiceOptions {
  /** Default: from the environment (AUTH_JWKS_URL…, or AUTH_MODE=dev). */
  readonly auth?: AuthConfig;
  /** Consumer group of the authority projection (default `onboarding.authority`; tests use their own). */
  readonly authorityGroup?: string;
}

/**
 * The onboarding service, composed from its libraries on the platform runtime (startService):
 * - foundation (started before the API answers): the authority projection's warm load from
 *   MongoDB, the plan read model's projector;
 * - HTTP: the plans API; Kafka consumer: the authority projection of the delegation topics,
 *   so `may(...)` is answered locally;
 * - background: the relay that publishes PlanChanged from the event store (checkpointed);
 * - the topics it publishes to; /health with store, database, projector lag, relay and consumer.
 */
export function onboardingService(config: ServiceConfig, options: OnboardingServiceOptions = {}): ServiceDefinition {
  return {
    config,
    async compose(infrastructure) {
      const { store, connection, registry, logger, kafka, now } = infrastructure;
      const db = connection.db;
      if (!db) throw new Error('MongoDB connection has no database');

      const authority = new AuthorityConsumer({
        kafka,
        group: options.authorityGroup ?? 'onboarding.authority',
        projection: new AuthorityProjection(await MongoAuthorityStore.open(db)),
        metrics: registry,
        logger: componentLogger(logger, 'authority'),
      });
      const authorityProjection: ServiceWorker = {
        name: 'authority-projection',
        // The warm load must succeed: without it there is nothing to answer `may` from.
        start: async () => {
          await authority.projection.load();
          authority.startRefresh();
        },
        stop: () => authority.stopRefresh(),
      };

      const readModel = new PlanReadModel(connection);
      const bookkeeping = new MongoProjectionBookkeeping(connection);
      await bookkeeping.init();
      const projector = new Projector(store, readModel, { bookkeeping, metrics: registry, logger: componentLogger(logger, 'projector') });

      const relay = new EventStoreKafkaRelay({
        name: 'onboarding',
        eventStore: store,
        aggregates: planAggregateStates(store),
        checkpoints: MongoRelayCheckpointStore.inDatabase(db),
        mapper: planIntegrationEvents,
        publisher: new KafkaIntegrationEventPublisher(kafka),
        filter: { streamCategories: [PLAN_STREAM_CATEGORY] },
        metrics: registry,
        logger: componentLogger(logger, 'relay'),
      });
      const relayWorker: ServiceWorker = { name: 'relay', start: () => relay.start(), stop: () => relay.stop() };

      return {
        httpModule: OnboardingModule.forRoot({
          store,
          readModel,
          db,
          now,
          metricsRegistry: registry,
          authority,
          ...(options.auth ? { auth: options.auth } : {}),
          healthChecks: [
            ...infrastructureHealthChecks(infrastructure),
            projectorHealthCheck(projector),
            relayHealthCheck(relay),
            authorityHealthCheck(authority),
          ],
        }),
        http: {
          title: 'Onboarding service',
          description: 'The onboarding context: plans (commands, read model), its integration events and the local authority check.',
          version: '0.1.0',
        },
        foundation: [authorityProjection, projector],
        background: [relayWorker],
        consumers: [authority.server],
        // Compacted: each PlanChanged carries the full state of its plan (see the contract).
        topics: [{ topic: PLANS_TOPIC, cleanupPolicy: 'compact' }],
      };
    },
  };
}
