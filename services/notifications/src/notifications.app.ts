import { AuthorityConsumer, AuthorityProjection, MongoAuthorityStore, authorityHealthCheck } from '@leadership/authority';
import { MessageRenderer, NotificationBoard, NotificationDispatcher } from '@leadership/notifications-application';
import { DELIVERIES_TOPIC } from '@leadership/notifications-contracts';
import { NOTIFICATION_STREAM_CATEGORY, type RetryPolicy } from '@leadership/notifications-domain';
import {
  DeliveryReadModel,
  DIRECTORY_CONSUMER,
  DirectoryProjection,
  HttpDirectoryContactSource,
  HttpWebhookTransport,
  notificationAggregateStates,
  notificationIntegrationEvents,
  ProjectionRoleDirectory,
  SmtpMailer,
  SmtpMailSender,
  type SmtpSettings,
} from '@leadership/notifications-infrastructure';
import { CloudEventsKafkaServer, EventStoreKafkaRelay, KafkaIntegrationEventPublisher, kafkaConsumerHealthCheck, MongoRelayCheckpointStore, relayHealthCheck } from '@leadership/messaging-kafka';
import { authConfigFromEnv, issueDevToken, type AuthConfig, type HealthCheckSpec } from '@leadership/platform-nest';
import { componentLogger, infrastructureHealthChecks, type ServiceConfig, type ServiceDefinition, type ServiceWorker } from '@leadership/platform-runtime';
import { MongoProjectionBookkeeping, Projector, projectorHealthCheck } from '@leadership/projection';
import { notificationsSettingsFromEnv, type NotificationsEnvSettings } from './notifications.config';
import { NotificationsModule } from './notifications.module';

export interface NotificationsServiceOptions {
  /** Default: from the environment (AUTH_JWKS_URL…, or AUTH_MODE=dev). */
  readonly auth?: AuthConfig;
  /** Settings otherwise read from the environment (SMTP, directory URL, groups…), in part. */
  readonly settings?: Partial<NotificationsEnvSettings>;
  /** The service's clock (tests move it past quiet hours and digest windows). */
  readonly clock?: () => Date;
  /** Back-off per channel (tests shorten it). */
  readonly retryPolicies?: { readonly email?: RetryPolicy; readonly webhook?: RetryPolicy };
  /** Pause between dispatcher passes when nothing nudges [500 ms]. */
  readonly dispatchIntervalMs?: number;
  /** Bound of one webhook request [10 s]. */
  readonly webhookTimeoutMs?: number;
}

/** A `system` token for the directory API: minted by the dev issuer locally, configured in production. */
function directoryToken(auth: AuthConfig, settings: NotificationsEnvSettings): () => Promise<string> {
  if (settings.directoryToken) {
    const token = settings.directoryToken;
    return () => Promise.resolve(token);
  }
  if (auth.mode !== 'dev') return () => Promise.reject(new Error('NOTIFICATIONS_DIRECTORY_TOKEN is not set: contact details cannot be read from the directory'));
  let cached: { token: string; until: number } | undefined;
  return async () => {
    if (!cached || cached.until < Date.now()) {
      cached = { token: await issueDevToken({ sub: 'system:notifications', roles: ['system'], ttlSeconds: 3_600, ...(auth.keyFile ? { keyFile: auth.keyFile } : {}) }), until: Date.now() + 1_800_000 };
    }
    return cached.token;
  };
}

/**
 * The notifications service, composed from its libraries on the platform runtime (startService):
 * - foundation (before the API answers): the authority projection's warm load (role addresses
 *   resolve from it), the directory projection's unit names, the read models' projectors
 *   (notifications; deliveries and the inbox, which announces new items to SSE subscribers), and
 *   the dispatcher — the one writer of resolutions, send attempts and digests — with its board
 *   rebuilt from the event store (a restart mid-window loses nothing and sends nothing twice);
 * - Kafka consumers: the authority projection of the delegation topics; the source events
 *   (mandates, mandate reminders, case assignments) and the directory, idempotent, with a DLQ;
 * - background: the relay that publishes DeliveryRecorded (checkpointed);
 * - out: SMTP (Mailpit locally) and signed webhooks; /health with SMTP too.
 */
export function notificationsService(config: ServiceConfig, options: NotificationsServiceOptions = {}): ServiceDefinition {
  const settings: NotificationsEnvSettings = { ...notificationsSettingsFromEnv(), ...options.settings };
  const auth = options.auth ?? authConfigFromEnv();
  const offset = settings.clockOffsetMs;
  const clock = options.clock ?? (offset ? () => new Date(Date.now() + offset) : undefined);
  return {
    config,
    ...(clock ? { now: clock } : {}),
    async compose(infrastructure) {
      const { store, connection, registry, logger, kafka, now } = infrastructure;
      const db = connection.db;
      if (!db) throw new Error('MongoDB connection has no database');

      const authority = new AuthorityConsumer({
        kafka,
        group: settings.authorityGroup ?? 'notifications.authority',
        projection: new AuthorityProjection(await MongoAuthorityStore.open(db), { now }),
        metrics: registry,
        logger: componentLogger(logger, 'authority'),
      });
      const directory = new DirectoryProjection(db, new HttpDirectoryContactSource(settings.directoryUrl, directoryToken(auth, settings)));
      const authorityProjection: ServiceWorker = {
        name: 'authority-projection',
        start: async () => {
          await authority.projection.load();
          await directory.load();
          authority.startRefresh();
        },
        stop: () => authority.stopRefresh(),
      };
      const roles = new ProjectionRoleDirectory(authority.projection, (unitId) => directory.unitName(unitId), directory);
      const renderer = new MessageRenderer(directory, roles, settings.appUrl);

      const bookkeeping = new MongoProjectionBookkeeping(connection);
      await bookkeeping.init();
      const deliveries = new DeliveryReadModel(connection, store, renderer);
      // While busy, a page of the delivery log waits up to 400 ms for more events: an e-mail planned
      // and sent within it is written once, inserted as sent, instead of an insert and a guarded
      // update (which FerretDB answers by reading the whole collection; see @leadership/projection).
      const deliveryProjector = new Projector(store, deliveries, { bookkeeping, batchLingerMs: 400, metrics: registry, logger: componentLogger(logger, 'deliveries') });

      const mailer = new SmtpMailer(settings.smtp satisfies SmtpSettings);
      const dispatcherLogger = componentLogger(logger, 'dispatcher');
      const board = new NotificationBoard(store);
      const dispatcher = new NotificationDispatcher(
        store,
        board,
        { people: directory, roles, mail: new SmtpMailSender(mailer), webhooks: new HttpWebhookTransport(options.webhookTimeoutMs), renderer },
        now,
        {
          defaultTimeZone: settings.defaultTimeZone,
          ...(options.dispatchIntervalMs !== undefined ? { intervalMs: options.dispatchIntervalMs } : {}),
          // About as many notifications at once as the SMTP pool (16 connections) sends e-mails: more
          // only queue in the pool, the attempt record then lags its plan past the delivery log's
          // 400 ms page (a second write per e-mail), and the fanout bench got slower — 8 at a time:
          // 126 events/s, 106 of 1,000 e-mails updated after their insert; 32 at a time: 72/s, 824.
          concurrency: 8,
          ...(options.retryPolicies ? { retryPolicies: options.retryPolicies } : {}),
          logger: { warn: (message) => dispatcherLogger.warn(message), error: (message) => dispatcherLogger.error(message) },
        },
      );
      const dispatcherWorker: ServiceWorker = {
        name: 'dispatcher',
        start: () => dispatcher.start(),
        stop: async () => {
          await dispatcher.stop();
          mailer.close();
        },
      };

      const sources = new CloudEventsKafkaServer({
        group: settings.consumerGroup ?? 'notifications.sources',
        kafka,
        // Idempotent by construction (the notification id derives from the CloudEvent id and the workflow,
        // and a repeated request is a no-op), so no dedupe record is written per message.
        dedupe: { by: 'aggregate-version' },
        // News only: a new group must not notify everyone about the topics' history.
        fromBeginning: false,
        // Order matters per aggregate (the key), not across partitions nor across keys: 3 partitions
        // and up to 16 keys of each at a time, so the appends of many source events share the event
        // store's group commit instead of waiting for each other's (one after the other, a partition
        // took ~27 ms per event under load: append wait plus the store's fsync).
        partitionsConsumedConcurrently: 3,
        keyConcurrency: 16,
        metrics: registry,
      });
      const directoryConsumer = new CloudEventsKafkaServer({
        group: settings.directoryGroup ?? 'notifications.directory',
        kafka,
        transportId: DIRECTORY_CONSUMER,
        // The projection's writes are guarded by the person's or unit's version.
        dedupe: { by: 'aggregate-version' },
        metrics: registry,
      });

      const relay = new EventStoreKafkaRelay({
        name: 'notifications',
        eventStore: store,
        aggregates: notificationAggregateStates(store),
        checkpoints: MongoRelayCheckpointStore.inDatabase(db),
        mapper: notificationIntegrationEvents,
        publisher: new KafkaIntegrationEventPublisher(kafka),
        filter: { streamCategories: [NOTIFICATION_STREAM_CATEGORY] },
        // An audit stream, not a conversation: a batch waits up to 50 ms for more deliveries, so a
        // busy dispatcher makes a few large batches (each one produce and one checkpoint write)
        // instead of one per commit.
        lingerMs: 50,
        metrics: registry,
        logger: componentLogger(logger, 'relay'),
      });
      const relayWorker: ServiceWorker = { name: 'relay', start: () => relay.start(), stop: () => relay.stop() };

      const health: HealthCheckSpec[] = [
        {
          name: 'dispatcher',
          check: async () => {
            const status = dispatcher.status();
            if (!status.running) throw new Error('dispatcher is stopped');
            if (status.lastError !== undefined) throw new Error(`dispatch pass failed: ${status.lastError}`);
            return { passes: status.passes, position: status.position ?? null };
          },
        },
        {
          name: 'smtp',
          // E-mails wait and retry while the server is away; /health says so meanwhile.
          check: async () => {
            await mailer.verify();
            return { host: settings.smtp.host, port: settings.smtp.port };
          },
        },
      ];

      return {
        httpModule: NotificationsModule.forRoot({
          store,
          deliveries,
          db,
          now,
          metricsRegistry: registry,
          authority,
          roles,
          directory,
          dispatcher,
          board,
          defaultTimeZone: settings.defaultTimeZone,
          ...(options.auth ? { auth: options.auth } : {}),
          healthChecks: [
            ...infrastructureHealthChecks(infrastructure),
            projectorHealthCheck(deliveryProjector),
            relayHealthCheck(relay),
            authorityHealthCheck(authority),
            kafkaConsumerHealthCheck(sources, { name: 'sources' }),
            kafkaConsumerHealthCheck(directoryConsumer, { name: 'directory' }),
            ...health,
          ],
        }),
        http: {
          title: 'Notifications service',
          description:
            'Notifications from the other services’ events and from POST /notifications: recipients (people or roles resolved from the mandates in force, with the basis stored), in-app inbox with live updates (SSE), e-mail (SMTP), signed webhooks (Standard Webhooks), preferences, quiet hours, digests, retries and dead letters, and the delivery log for compliance.',
          version: '0.2.0',
        },
        foundation: [authorityProjection, deliveryProjector, dispatcherWorker],
        background: [relayWorker],
        consumers: [authority.server, sources, directoryConsumer],
        // An event stream (one message per ended delivery), not compacted: every message counts for audit.
        topics: [{ topic: DELIVERIES_TOPIC, cleanupPolicy: 'delete' }],
      };
    },
  };
}
