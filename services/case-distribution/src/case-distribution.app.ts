import { AuthorityConsumer, AuthorityProjection, MongoAuthorityStore, authorityHealthCheck } from '@leadership/authority';
import { HashChainedEventStore } from '@leadership/audit';
import { Dispatcher, RoutingBoard } from '@leadership/case-distribution-application';
import { ASSIGNMENTS_TOPIC, CASES_TOPIC, INTAKE_TOPIC } from '@leadership/case-distribution-contracts';
import { CASE_STREAM_CATEGORY } from '@leadership/case-distribution-domain';
import { caseAggregateStates, caseIntegrationEvents, CaseReadModel, ONBOARDING_SESSIONS_CONSUMER, ProjectionCaseAuthority } from '@leadership/case-distribution-infrastructure';
import { SESSIONS_TOPIC } from '@leadership/onboarding-contracts';
import { CloudEventsKafkaServer, EventStoreKafkaRelay, KafkaIntegrationEventPublisher, kafkaConsumerHealthCheck, MongoProcessedEventStore, MongoRelayCheckpointStore, relayHealthCheck } from '@leadership/messaging-kafka';
import type { AuthConfig, HealthCheckSpec } from '@leadership/platform-nest';
import { componentLogger, infrastructureHealthChecks, type ServiceConfig, type ServiceDefinition, type ServiceWorker } from '@leadership/platform-runtime';
import { MongoProjectionBookkeeping, Projector, projectorHealthCheck } from '@leadership/projection';
import { CaseDistributionModule } from './case-distribution.module';

export interface CaseDistributionServiceOptions {
  /** Default: from the environment (AUTH_JWKS_URL…, or AUTH_MODE=dev). */
  readonly auth?: AuthConfig;
  /** Consumer group of the authority projection (default `case-distribution.authority`; tests use their own). */
  readonly authorityGroup?: string;
  /** Consumer group of the intake topic (default `case-distribution.intake`; tests use their own). */
  readonly intakeGroup?: string;
  /** Consumer group of the onboarding sessions topic (default `case-distribution.onboarding`; tests use their own). */
  readonly onboardingGroup?: string;
  /** Pause between routing passes when nothing nudges the dispatcher (default 250 ms). */
  readonly routingIntervalMs?: number;
}

/** How long the intake consumer remembers a message id (dedupe; the case id is derived from it as well). */
const INTAKE_DEDUPE_RETENTION_MS = 30 * 86_400_000;

/**
 * The case distribution service, composed from its libraries on the platform runtime (startService):
 * - event store: hash-chained (the shared audit library verifies and exports it);
 * - foundation (started before the API answers): the authority projection's warm load, the case
 *   read model's projector, and the dispatcher — the one writer of automatic routing decisions —
 *   with its board rebuilt from the event store (a restart loses no case and offers none twice);
 * - HTTP: cases, queues, agents, compliance's decisions report;
 * - Kafka consumers: the authority projection of the delegation topics (so `may` is answered
 *   locally), the intake of other departments' cases, and the onboarding sessions' presenter
 *   windows (an agent presenting a session gets no offers during it);
 * - background: the relay that publishes CaseChanged and the assignment events (checkpointed);
 * - /health with store, database, projector lag, relay, both consumers and the dispatcher.
 */
export function caseDistributionService(config: ServiceConfig, options: CaseDistributionServiceOptions = {}): ServiceDefinition {
  return {
    config,
    decorateStore: (store) => new HashChainedEventStore(store),
    async compose(infrastructure) {
      const { store, connection, registry, logger, kafka, now } = infrastructure;
      const db = connection.db;
      if (!db) throw new Error('MongoDB connection has no database');

      const authority = new AuthorityConsumer({
        kafka,
        group: options.authorityGroup ?? 'case-distribution.authority',
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

      const readModel = new CaseReadModel(connection);
      const bookkeeping = new MongoProjectionBookkeeping(connection);
      await bookkeeping.init();
      const projector = new Projector(store, readModel, { bookkeeping, metrics: registry, logger: componentLogger(logger, 'projector') });

      const board = new RoutingBoard(store);
      const dispatcherLogger = componentLogger(logger, 'dispatcher');
      const dispatcher = new Dispatcher(store, board, now, {
        ...(options.routingIntervalMs !== undefined ? { intervalMs: options.routingIntervalMs } : {}),
        logger: { warn: (message) => dispatcherLogger.warn(message), error: (message) => dispatcherLogger.error(message) },
      });
      const dispatcherWorker: ServiceWorker = { name: 'dispatcher', start: () => dispatcher.start(), stop: () => dispatcher.stop() };

      const intake = new CloudEventsKafkaServer({
        group: options.intakeGroup ?? 'case-distribution.intake',
        kafka,
        dedupe: { by: 'event-id', store: MongoProcessedEventStore.inDatabase(db, 'intake_processed_events'), retentionMs: INTAKE_DEDUPE_RETENTION_MS },
        metrics: registry,
      });

      // Presenter windows of onboarding sessions: dedupe by CloudEvent id on top of the idempotent agent decider.
      const onboardingSessions = new CloudEventsKafkaServer({
        group: options.onboardingGroup ?? 'case-distribution.onboarding',
        transportId: ONBOARDING_SESSIONS_CONSUMER,
        kafka,
        dedupe: { by: 'event-id', store: MongoProcessedEventStore.inDatabase(db, 'onboarding_processed_events'), retentionMs: INTAKE_DEDUPE_RETENTION_MS },
        metrics: registry,
      });

      const relay = new EventStoreKafkaRelay({
        name: 'case-distribution',
        eventStore: store,
        aggregates: caseAggregateStates(store),
        checkpoints: MongoRelayCheckpointStore.inDatabase(db),
        mapper: caseIntegrationEvents,
        publisher: new KafkaIntegrationEventPublisher(kafka),
        filter: { streamCategories: [CASE_STREAM_CATEGORY] },
        metrics: registry,
        logger: componentLogger(logger, 'relay'),
      });
      const relayWorker: ServiceWorker = { name: 'relay', start: () => relay.start(), stop: () => relay.stop() };

      const dispatcherHealth: HealthCheckSpec = {
        name: 'dispatcher',
        // A failed pass is retried by the next one; still, routing that keeps failing must show.
        check: async () => {
          const status = dispatcher.status();
          if (!status.running) throw new Error('dispatcher is stopped');
          if (status.lastError !== undefined) throw new Error(`routing pass failed: ${status.lastError}`);
          return { passes: status.passes, position: status.position ?? null };
        },
      };

      return {
        httpModule: CaseDistributionModule.forRoot({
          store,
          readModel,
          db,
          now,
          metricsRegistry: registry,
          authority,
          caseAuthority: new ProjectionCaseAuthority(authority.projection),
          board,
          dispatcher,
          ...(options.auth ? { auth: options.auth } : {}),
          healthChecks: [
            ...infrastructureHealthChecks(infrastructure),
            projectorHealthCheck(projector),
            relayHealthCheck(relay),
            authorityHealthCheck(authority),
            kafkaConsumerHealthCheck(intake, { name: 'intake' }),
            kafkaConsumerHealthCheck(onboardingSessions, { name: 'onboarding-sessions' }),
            dispatcherHealth,
          ],
        }),
        http: {
          title: 'Case distribution service',
          description:
            'Queues, cases, automatic distribution with an explanation per decision, manual decisions under a mandate (each stamped with the authority it relied on), workload and fairness views, and the decisions report for compliance.',
          version: '0.1.0',
        },
        foundation: [authorityProjection, projector, dispatcherWorker],
        background: [relayWorker],
        consumers: [authority.server, intake, onboardingSessions],
        // Compacted: each CaseChanged carries the full state of its case. The intake topic is created
        // here too, so the consumer can join on a cluster where no sender published yet.
        topics: [
          { topic: CASES_TOPIC, cleanupPolicy: 'compact' },
          { topic: ASSIGNMENTS_TOPIC, cleanupPolicy: 'delete' },
          { topic: INTAKE_TOPIC, cleanupPolicy: 'delete' },
          { topic: SESSIONS_TOPIC, cleanupPolicy: 'compact' },
        ],
      };
    },
  };
}
