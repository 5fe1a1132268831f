import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, type logCreator } from 'kafkajs';
import mongoose from 'mongoose';
import type { Registry } from 'prom-client';
import { EventStoreKafkaRelay, KafkaIntegrationEventPublisher, MongoRelayCheckpointStore, type RelayCheckpointDocument } from '@leadership/messaging-kafka';
import { DIRECTORY_TOPIC, MANDATE_REMINDERS_TOPIC, MANDATES_TOPIC } from '@leadership/delegation-contracts';
import { MANDATE_STREAM_CATEGORY, PERSON_STREAM_CATEGORY, UNIT_STREAM_CATEGORY } from '@leadership/delegation-domain';
import { type EventStore } from '@leadership/event-store';
import { EventStoreDbEventStore, SqliteEventStore } from '@leadership/event-store-adapters';
import { HashChainedEventStore } from '@leadership/audit';
import { createHttpService, createMetricsRegistry, JsonLogger, type AuthConfig } from '@leadership/platform-nest';
import type { DelegationConfig } from './delegation-config';
import { createDelegationServices, type DelegationServices } from './delegation-services';
import { DelegationModule } from './delegation.module';
import { DelegationScheduler, REMINDER_STREAM_CATEGORY } from './scheduler/delegation-scheduler';
import { delegationAggregateStates, delegationIntegrationEvents, type PublishedState } from './messaging/delegation-integration-events';

export interface DelegationRuntime {
  readonly app: INestApplication;
  readonly services: DelegationServices;
  readonly url: string;
  readonly scheduler: DelegationScheduler;
  /** Undefined when the relay is disabled (DELEGATION_RELAY=off). */
  readonly relay: EventStoreKafkaRelay<PublishedState> | undefined;
  /** Stops HTTP, workers, store and database connection, in that order. */
  close(): Promise<void>;
}

/** The event store, with every append hash-chained for integrity verification. */
export function openEventStore(config: DelegationConfig): EventStore {
  if (config.eventStoreDb) return new HashChainedEventStore(new EventStoreDbEventStore(config.eventStoreDb));
  mkdirSync(dirname(config.sqliteFile), { recursive: true });
  return new HashChainedEventStore(new SqliteEventStore(config.sqliteFile));
}

/**
 * Starts the delegation service: event store, MongoDB read model and its projector, HTTP API.
 * Used by main.ts and by end-to-end tests (which start, crash and restart it in-process).
 */
export async function startDelegationService(config: DelegationConfig, options: { auth?: AuthConfig; now?: () => Date } = {}): Promise<DelegationRuntime> {
  const logger = new JsonLogger('delegation');
  const store = openEventStore(config);
  const connection = await mongoose.createConnection(config.mongoUri, { dbName: config.mongoDb, serverSelectionTimeoutMS: 10_000 }).asPromise();
  const db = connection.db;
  if (!db) throw new Error('MongoDB connection has no database');
  const registry = createMetricsRegistry('delegation');
  const services = createDelegationServices(store, db, options.now, {
    metrics: registry,
    logger: {
      info: (msg, fields) => logger.log({ msg, ...fields }, 'projector'),
      warn: (msg, fields) => logger.warn({ msg, ...fields }, 'projector'),
      error: (msg, fields) => logger.error({ msg, ...fields }, 'projector'),
    },
  });
  let app: INestApplication | undefined;
  try {
    await services.projector.start();
    app = await createHttpService(
      DelegationModule.forRoot({ services, metricsRegistry: registry, ...(options.auth ? { auth: options.auth } : {}) }),
      {
        serviceName: 'delegation',
        title: 'Delegation service',
        description: 'Directory, task-type catalogue, event-sourced mandates, authority checks and audit for compliance.',
        version: '1.0.0',
        bodyLimit: '256kb',
        bodyLimits: { '/directory/import': '20mb' },
      },
    );
    await app.listen(config.port, config.host);
  } catch (error) {
    // Leave nothing open behind a failed start (a test process would not exit).
    await app?.close().catch(() => undefined);
    await services.projector.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    throw error;
  }
  const scheduler = new DelegationScheduler(services, config.schedulerIntervalMs, logger);
  scheduler.start();
  const relay = config.relayEnabled ? await startDelegationRelay(config, services, registry, logger) : undefined;
  const started = app;
  const address = started.getHttpServer().address() as { port: number };
  const url = `http://${config.host}:${address.port}`;
  let closed = false;
  return {
    app: started,
    services,
    url,
    scheduler,
    relay,
    async close() {
      if (closed) return;
      closed = true;
      await scheduler.stop();
      await relay?.stop();
      await started.close();
      await services.projector.stop();
      await store.close();
      await connection.close();
    },
  };
}

/** kafkajs logs as structured lines of the service's logger (not its own format). */
function kafkaLogCreator(logger: JsonLogger): logCreator {
  return () => ({ level, log }) => {
    const { message, ...fields } = log;
    const entry = { msg: message, ...fields };
    if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(entry, 'kafkajs');
    else if (level === logLevel.WARN) logger.warn(entry, 'kafkajs');
    else logger.log(entry, 'kafkajs');
  };
}

/**
 * Publishes the integration events from a checkpointed subscription (never inline after an
 * append): mandates and reminders to leadership.delegation.mandates.v1, units and people to
 * leadership.delegation.directory.v1. A broker that is down delays publication; nothing is lost.
 */
async function startDelegationRelay(config: DelegationConfig, services: DelegationServices, registry: Registry, logger: JsonLogger): Promise<EventStoreKafkaRelay<PublishedState>> {
  // The default partitioner (murmur2, as Java clients) is what we want; kafkajs warns about it once otherwise.
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  const kafka = new Kafka({ clientId: 'delegation-relay', brokers: [...config.kafkaBrokers], logLevel: logLevel.WARN, logCreator: kafkaLogCreator(logger) });
  await ensureTopics(kafka, logger);
  const relay = new EventStoreKafkaRelay({
    name: 'delegation',
    eventStore: services.store,
    aggregates: delegationAggregateStates(services.store),
    checkpoints: new MongoRelayCheckpointStore(services.db.collection<RelayCheckpointDocument>('relay_checkpoints')),
    mapper: delegationIntegrationEvents,
    publisher: new KafkaIntegrationEventPublisher(kafka),
    filter: { streamCategories: [MANDATE_STREAM_CATEGORY, UNIT_STREAM_CATEGORY, PERSON_STREAM_CATEGORY, REMINDER_STREAM_CATEGORY] },
    metrics: registry,
    logger: {
      info: (msg, fields) => logger.log({ msg, ...fields }, 'relay'),
      warn: (msg, fields) => logger.warn({ msg, ...fields }, 'relay'),
      error: (msg, fields) => logger.error({ msg, ...fields }, 'relay'),
    },
  });
  await relay.start();
  return relay;
}

/*
 * The state topics are compacted: every MandateChanged / UnitChanged / PersonChanged carries the
 * full state, so the latest message per key is all a new consumer needs, however old. Reminders
 * are plain events with a week of retention.
 */
const TOPICS: readonly { topic: string; configEntries: { name: string; value: string }[] }[] = [
  { topic: MANDATES_TOPIC, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  { topic: DIRECTORY_TOPIC, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  { topic: MANDATE_REMINDERS_TOPIC, configEntries: [{ name: 'cleanup.policy', value: 'delete' }, { name: 'retention.ms', value: String(7 * 86_400_000) }] },
];

/** Creates missing topics with 3 partitions (clusters declare them instead: deploy/kubernetes/platform/kafka-topics.yaml). */
async function ensureTopics(kafka: Kafka, logger: JsonLogger): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = TOPICS.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing.map((t) => ({ ...t, numPartitions: 3 })), waitForLeaders: true });
  } catch (error) {
    // The broker may be down: the relay retries publishing on its own; topics auto-create locally.
    logger.warn({ msg: 'could not ensure topics', error: error instanceof Error ? error.message : String(error) }, 'relay');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
