import { AuthorityConsumer, AuthorityProjection, MongoAuthorityStore, authorityHealthCheck } from '@leadership/authority';
import { EventStoreKafkaRelay, KafkaIntegrationEventPublisher, MongoRelayCheckpointStore, relayHealthCheck } from '@leadership/messaging-kafka';
import type { AuthConfig } from '@leadership/platform-nest';
import { componentLogger, infrastructureHealthChecks, type ServiceConfig, type ServiceDefinition, type ServiceWorker } from '@leadership/platform-runtime';
import { MongoProjectionBookkeeping, Projector, projectorHealthCheck } from '@leadership/projection';
import { DELIVERIES_TOPIC } from '@leadership/notifications-contracts';
import { NOTIFICATION_STREAM_CATEGORY } from '@leadership/notifications-domain';
import { notificationAggregateStates, notificationIntegrationEvents, NotificationReadModel } from '@leadership/notifications-infrastructure';
import { NotificationsModule } from './notifications.module';

export interface NotificationsServiceOptions {
  /** Default: from the environment (AUTH_JWKS_URL…, or AUTH_MODE=dev). */
  readonly auth?: AuthConfig;
  /** Consumer group of the authority projection (default `notifications.authority`; tests use their own). */
  readonly authorityGroup?: string;
}

/**
 * The notifications service, composed from its libraries on the platform runtime (startService):
 * - foundation (started before the API answers): the authority projection's warm load from
 *   MongoDB, the notification read model's projector;
 * - HTTP: the notifications API; Kafka consumer: the authority projection of the delegation topics,
 *   so `may(...)` is answered locally;
 * - background: the relay that publishes DeliveryRecorded from the event store (checkpointed);
 * - the topics it publishes to; /health with store, database, projector lag, relay and consumer.
 */
export function notificationsService(config: ServiceConfig, options: NotificationsServiceOptions = {}): ServiceDefinition {
  return {
    config,
    async compose(infrastructure) {
      const { store, connection, registry, logger, kafka, now } = infrastructure;
      const db = connection.db;
      if (!db) throw new Error('MongoDB connection has no database');

      const authority = new AuthorityConsumer({
        kafka,
        group: options.authorityGroup ?? 'notifications.authority',
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

      const readModel = new NotificationReadModel(connection);
      const bookkeeping = new MongoProjectionBookkeeping(connection);
      await bookkeeping.init();
      const projector = new Projector(store, readModel, { bookkeeping, metrics: registry, logger: componentLogger(logger, 'projector') });

      const relay = new EventStoreKafkaRelay({
        name: 'notifications',
        eventStore: store,
        aggregates: notificationAggregateStates(store),
        checkpoints: MongoRelayCheckpointStore.inDatabase(db),
        mapper: notificationIntegrationEvents,
        publisher: new KafkaIntegrationEventPublisher(kafka),
        filter: { streamCategories: [NOTIFICATION_STREAM_CATEGORY] },
        metrics: registry,
        logger: componentLogger(logger, 'relay'),
      });
      const relayWorker: ServiceWorker = { name: 'relay', start: () => relay.start(), stop: () => relay.stop() };

      return {
        httpModule: NotificationsModule.forRoot({
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
          title: 'Notifications service',
          description: 'The notifications context: notifications (commands, read model), its integration events and the local authority check.',
          version: '0.1.0',
        },
        foundation: [authorityProjection, projector],
        background: [relayWorker],
        consumers: [authority.server],
        // An event stream (one message per ended delivery), not compacted: every message counts for audit.
        topics: [{ topic: DELIVERIES_TOPIC, cleanupPolicy: 'delete' }],
      };
    },
  };
}
