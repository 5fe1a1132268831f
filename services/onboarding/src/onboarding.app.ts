import { randomBytes, randomUUID } from 'node:crypto';
import { AuthorityConsumer, AuthorityProjection, MongoAuthorityStore, authorityHealthCheck } from '@leadership/authority';
import { MANDATES_TOPIC } from '@leadership/delegation-contracts';
import { CloudEventsKafkaServer, EventStoreKafkaRelay, KafkaIntegrationEventPublisher, kafkaConsumerHealthCheck, MongoProcessedEventStore, MongoRelayCheckpointStore, relayHealthCheck } from '@leadership/messaging-kafka';
import type { AuthConfig, HealthCheckSpec } from '@leadership/platform-nest';
import { componentLogger, infrastructureHealthChecks, type ServiceConfig, type ServiceDefinition, type ServiceWorker } from '@leadership/platform-runtime';
import { MongoProjectionBookkeeping, Projector, projectorHealthCheck } from '@leadership/projection';
import { MandateHandOverHandler, OnboardingBoard, PresenterBookings, PresenterChoices, RemindersWorker } from '@leadership/onboarding-application';
import { BOOKINGS_TOPIC, PLANS_TOPIC, REMINDERS_TOPIC, SESSIONS_TOPIC } from '@leadership/onboarding-contracts';
import {
  MongoOnboardingPeople,
  ONBOARDING_DIRECTORY_CONSUMER,
  ONBOARDING_PUBLISHED_CATEGORIES,
  onboardingAggregateStates,
  onboardingIntegrationEvents,
  PlanReadModel,
  ProjectionOnboardingAuthority,
} from '@leadership/onboarding-infrastructure';
import { OnboardingModule } from './onboarding.module';

export interface OnboardingServiceOptions {
  /** Default: from the environment (AUTH_JWKS_URL…, or AUTH_MODE=dev). */
  readonly auth?: AuthConfig;
  /** Consumer group of the authority projection (default `onboarding.authority`; tests use their own). */
  readonly authorityGroup?: string;
  /** Consumer group of the hand-over consumer of the mandates topic (default `onboarding.mandates`). */
  readonly mandatesGroup?: string;
  /** Consumer group of the directory's people (draft plans for new members; skills and absences), default `onboarding.directory`. */
  readonly directoryGroup?: string;
  /** How long after the directory's change a new membership still drafts a plan (default 14 days). */
  readonly newMemberWindowDays?: number;
  /** Pause between reminder passes (default 60 s). */
  readonly remindersIntervalMs?: number;
  /** Domain of the calendar addresses of people (`<personId>@<domain>`; default `people.invalid`): events carry ids, not e-mail addresses. */
  readonly calendarMailDomain?: string;
}

/** How long the hand-over consumer remembers a message id (dedupe; the hand-over itself is idempotent too). */
const MANDATES_DEDUPE_RETENTION_MS = 7 * 86_400_000;

/**
 * The onboarding service, composed from its libraries on the platform runtime (startService):
 * - foundation (started before the API answers): the authority projection's warm load, the plan
 *   read model's projector, the board (plans, sessions, bookings folded from the store) and the
 *   reminders worker — the one writer of reminders and request expiries;
 * - HTTP: programmes, newcomers and plans, presenter requests, bookings, calendar feeds, overview;
 * - Kafka consumers: the authority projection of the delegation topics (so `may` is answered
 *   locally), the hand-over consumer of mandate changes (work follows the mandate; role
 *   presenters re-resolve), and the directory's people (draft plans for new members of units;
 *   the projection of people with their skills and absences);
 * - background: the relay that publishes plans, sessions (with presenter unavailability),
 *   bookings and reminders from the event store (checkpointed);
 * - /health with store, database, projector, relay, both consumers and the reminders worker.
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
      const onboardingAuthority = new ProjectionOnboardingAuthority(authority.projection);

      const readModel = new PlanReadModel(connection);
      const bookkeeping = new MongoProjectionBookkeeping(connection);
      await bookkeeping.init();
      const projector = new Projector(store, readModel, { bookkeeping, metrics: registry, logger: componentLogger(logger, 'projector') });

      const board = new OnboardingBoard(store);
      const people = new MongoOnboardingPeople(db);
      await people.init();
      const bookings = new PresenterBookings(store, board, people, now);
      const choices = new PresenterChoices(store, board, onboardingAuthority, people, bookings, now);
      const handOver = new MandateHandOverHandler(store, board, onboardingAuthority, bookings, choices, now);
      const remindersLogger = componentLogger(logger, 'reminders');
      const reminders = new RemindersWorker(store, board, bookings, choices, now, {
        ...(options.remindersIntervalMs !== undefined ? { intervalMs: options.remindersIntervalMs } : {}),
        logger: { warn: (message) => remindersLogger.warn(message), error: (message) => remindersLogger.error(message) },
      });
      const remindersWorker: ServiceWorker = { name: 'reminders', start: () => reminders.start(), stop: () => reminders.stop() };

      const mandates = new CloudEventsKafkaServer({
        group: options.mandatesGroup ?? 'onboarding.mandates',
        kafka,
        // A new group starts at the end: a service that has just been deployed has no work to hand
        // over, and replaying every mandate change ever made would only redo no-ops. The authority
        // projection (its own group) still reads the topic from the beginning.
        fromBeginning: false,
        dedupe: { by: 'event-id', store: MongoProcessedEventStore.inDatabase(db, 'mandate_processed_events'), retentionMs: MANDATES_DEDUPE_RETENTION_MS },
        metrics: registry,
      });

      const directory = new CloudEventsKafkaServer({
        group: options.directoryGroup ?? 'onboarding.directory',
        kafka,
        transportId: ONBOARDING_DIRECTORY_CONSUMER,
        // From the beginning: every person's memberships, skills and absences. The projection's
        // writes are guarded by the person's version, and a new group drafts no plans for people it
        // first sees after their registration (see DirectoryPersonHandler).
        dedupe: { by: 'aggregate-version' },
        metrics: registry,
      });

      const relay = new EventStoreKafkaRelay({
        name: 'onboarding',
        eventStore: store,
        aggregates: onboardingAggregateStates(store),
        checkpoints: MongoRelayCheckpointStore.inDatabase(db),
        mapper: onboardingIntegrationEvents,
        publisher: new KafkaIntegrationEventPublisher(kafka),
        filter: { streamCategories: ONBOARDING_PUBLISHED_CATEGORIES },
        metrics: registry,
        logger: componentLogger(logger, 'relay'),
      });
      const relayWorker: ServiceWorker = { name: 'relay', start: () => relay.start(), stop: () => relay.stop() };

      const remindersHealth: HealthCheckSpec = {
        name: 'reminders',
        // A failed pass is retried by the next one; still, reminders that keep failing must show (they silently stopped elsewhere).
        check: async () => {
          const status = reminders.status();
          if (!status.running) throw new Error('reminders worker is stopped');
          if (status.lastError !== undefined) throw new Error(`reminders pass failed: ${status.lastError}`);
          return { passes: status.passes };
        },
      };
      const mailDomain = options.calendarMailDomain ?? 'people.invalid';

      return {
        httpModule: OnboardingModule.forRoot({
          store,
          readModel,
          db,
          now,
          metricsRegistry: registry,
          authority,
          onboardingAuthority,
          board,
          bookings,
          choices,
          handOver,
          people,
          ...(options.newMemberWindowDays !== undefined ? { newMemberWindowDays: options.newMemberWindowDays } : {}),
          partyOf: (personId) => ({ email: `${personId}@${mailDomain}`, name: personId }),
          newId: () => randomUUID(),
          // 256 random bits, URL-safe: the feed URL is the secret.
          newToken: () => randomBytes(32).toString('base64url'),
          ...(options.auth ? { auth: options.auth } : {}),
          healthChecks: [
            ...infrastructureHealthChecks(infrastructure),
            projectorHealthCheck(projector),
            relayHealthCheck(relay),
            authorityHealthCheck(authority),
            kafkaConsumerHealthCheck(mandates, { name: 'mandates' }),
            kafkaConsumerHealthCheck(directory, { name: 'directory' }),
            remindersHealth,
          ],
        }),
        http: {
          title: 'Onboarding service',
          description:
            'Programmes, newcomer plans, sessions and presenter bookings under a mandate (each decision stamped with the authority it relied on), calendar feeds, reminders, and hand-over when mandates change.',
          version: '0.1.0',
        },
        foundation: [authorityProjection, projector, remindersWorker],
        background: [relayWorker],
        consumers: [authority.server, mandates, directory],
        // Plans and sessions are compacted state; bookings and reminders are event streams.
        topics: [
          { topic: PLANS_TOPIC, cleanupPolicy: 'compact' },
          { topic: SESSIONS_TOPIC, cleanupPolicy: 'compact' },
          { topic: BOOKINGS_TOPIC, cleanupPolicy: 'delete' },
          { topic: REMINDERS_TOPIC, cleanupPolicy: 'delete' },
          { topic: MANDATES_TOPIC, cleanupPolicy: 'compact' },
        ],
      };
    },
  };
}
