import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { CustomStrategy } from '@nestjs/microservices';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import type { EventStore } from '@leadership/event-store';
import { ensureTopics, kafkaLogCreator, type TopicDeclaration } from '@leadership/messaging-kafka';
import { createHttpService, createMetricsRegistry, JsonLogger, type HealthCheckSpec, type HttpServiceOptions } from '@leadership/platform-nest';
import { componentLogger, type ComponentLogger } from './component-logger';
import { openEventStore } from './open-event-store';
import { ServiceLifecycle } from './service-lifecycle';
import type { ServiceConfig } from './service-config';

/** What the runtime opens for a service before its own parts are composed. */
export interface ServiceInfrastructure {
  readonly config: ServiceConfig;
  readonly store: EventStore;
  /** The service's MongoDB connection (mongoose models are registered on it). */
  readonly connection: Connection;
  readonly registry: Registry;
  readonly logger: JsonLogger;
  /** One kafkajs client per service (relay, consumers and topic admin share it); logs through `logger`. */
  readonly kafka: Kafka;
  readonly now: () => Date;
}

/** A long-running part of a service with a start and an orderly stop (projector, relay, scheduler…). */
export interface ServiceWorker {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What a decorated store is given to build its own workers. */
export interface StoreWorkerContext {
  readonly config: ServiceConfig;
  readonly logger: ComponentLogger;
}

/**
 * A decorated event store that brings workers of its own — the audit library's hash-chained store
 * takes signed integrity anchors. The runtime starts them before every other worker and stops
 * them after, so they see the store from the first append to the last.
 */
export interface EventStoreWithWorkers extends EventStore {
  serviceWorkers(context: StoreWorkerContext): readonly ServiceWorker[];
}

function storeWorkers(store: EventStore, context: StoreWorkerContext): readonly ServiceWorker[] {
  const candidate = store as Partial<EventStoreWithWorkers>;
  return typeof candidate.serviceWorkers === 'function' ? candidate.serviceWorkers(context) : [];
}

/** The service's own parts, built by its composition root from the infrastructure. */
export interface ServiceComposition {
  /** The Nest module of the HTTP API (controllers, providers, PlatformModule.forRoot(…)). */
  readonly httpModule: DynamicModule;
  readonly http: Omit<HttpServiceOptions, 'serviceName'>;
  /**
   * Started before the HTTP server listens, stopped after it closed, in reverse order. Read-model
   * projectors belong here: queries right after start must find them running.
   */
  readonly foundation?: readonly ServiceWorker[];
  /** Started once the HTTP server listens (relay, scheduler), stopped right after it closed, in reverse order. */
  readonly background?: readonly ServiceWorker[];
  /** Kafka consumers as Nest microservices (e.g. CloudEventsKafkaServer), started with the app. */
  readonly consumers?: readonly CustomStrategy['strategy'][];
  /** Topics the service publishes to; created when missing (clusters declare them in their manifests). */
  readonly topics?: readonly TopicDeclaration[];
}

/** What a service's composition root declares. */
export interface ServiceDefinition {
  readonly config: ServiceConfig;
  /** Wraps the opened event store (e.g. the audit library's hash chain, whose anchoring worker then runs too). */
  readonly decorateStore?: (store: EventStore) => EventStore;
  readonly now?: () => Date;
  compose(infrastructure: ServiceInfrastructure): ServiceComposition | Promise<ServiceComposition>;
}

/** A started service. */
export interface RunningService {
  readonly app: INestApplication;
  readonly url: string;
  readonly infrastructure: ServiceInfrastructure;
  readonly composition: ServiceComposition;
  /** The one shutdown path; `handleSignals()` on it in main.ts. */
  readonly lifecycle: ServiceLifecycle;
  /** Stops everything in order (the same steps as a SIGTERM, without exiting). */
  close(): Promise<void>;
}

/** Health checks every service has: its event store and its MongoDB connection answer. */
export function infrastructureHealthChecks(infrastructure: Pick<ServiceInfrastructure, 'store' | 'connection'>): HealthCheckSpec[] {
  return [
    { name: 'event-store', check: async () => void (await infrastructure.store.headPosition()) },
    {
      name: 'mongodb',
      check: async () => {
        const db = infrastructure.connection.db;
        if (!db) throw new Error('MongoDB connection has no database');
        await db.command({ ping: 1 });
      },
    },
  ];
}

/**
 * Starts a service in the one order every service uses, and registers the reverse order as its
 * shutdown: event store and MongoDB → the service's parts → the store's own workers (integrity anchors) →
 * foundation workers (projectors) →
 * HTTP API with its Kafka consumers → background workers (relay, scheduler). Shutdown: HTTP and
 * consumers stop taking work, background workers drain, foundation workers stop, then the store
 * and the database connection close. A failed start closes what was opened and rethrows.
 */
export async function startService(definition: ServiceDefinition): Promise<RunningService> {
  const { config } = definition;
  const logger = new JsonLogger(config.serviceName);
  const lifecycle = new ServiceLifecycle(logger);
  const opened: { name: string; close: () => Promise<void> }[] = [];
  const closeOpened = async () => {
    for (const item of opened.reverse()) await item.close().catch((error: unknown) => logger.error({ msg: 'close after a failed start', step: item.name, error: String(error) }, 'runtime'));
  };
  try {
    const rawStore = openEventStore(config.eventStore);
    const store = definition.decorateStore ? definition.decorateStore(rawStore) : rawStore;
    opened.push({ name: 'event-store', close: () => store.close() });
    const connection = await mongoose.createConnection(config.mongoUri, { dbName: config.mongoDb, serverSelectionTimeoutMS: 10_000 }).asPromise();
    opened.push({ name: 'mongodb', close: () => connection.close() });
    // The default partitioner (murmur2, as Java clients) is what we want; kafkajs warns about it once otherwise.
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
    const kafka = new Kafka({ clientId: config.serviceName, brokers: [...config.kafkaBrokers], logLevel: logLevel.WARN, logCreator: kafkaLogCreator(logger), ...kafkaSecurityOptions(config) });
    const infrastructure: ServiceInfrastructure = {
      config,
      store,
      connection,
      registry: createMetricsRegistry(config.serviceName),
      logger,
      kafka,
      now: definition.now ?? (() => new Date()),
    };
    const composition = await definition.compose(infrastructure);
    if (composition.topics && composition.topics.length > 0) {
      await ensureTopics(kafka, composition.topics, { logger: componentLogger(logger, 'runtime') });
    }
    const ownWorkers = storeWorkers(store, { config, logger: componentLogger(logger, 'event-store') });
    for (const worker of [...ownWorkers, ...(composition.foundation ?? [])]) {
      await worker.start();
      opened.push({ name: worker.name, close: () => worker.stop() });
    }
    const app = await createHttpService(composition.httpModule, { serviceName: config.serviceName, ...composition.http });
    const http = { name: 'http', close: () => app.close() };
    opened.push(http);
    for (const strategy of composition.consumers ?? []) app.connectMicroservice({ strategy }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.listen(config.port, config.host);
    for (const worker of composition.background ?? []) {
      await worker.start();
      opened.push({ name: worker.name, close: () => worker.stop() });
    }

    // Shutdown: HTTP (and the consumers it hosts) stops taking work first, then the background
    // workers drain (the relay publishes what was appended), then the reverse of the start.
    for (const step of [http, ...opened.filter((o) => o !== http).reverse()]) lifecycle.onShutdown(step.name, step.close);

    const address = app.getHttpServer().address() as { port: number };
    const url = `http://${config.host}:${address.port}`;
    return { app, url, infrastructure, composition, lifecycle, close: async () => void (await lifecycle.shutdown('close')) };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}

/** kafkajs `ssl`/`sasl` from the service configuration (the CA file read once at start: a missing file fails the start, naming it). */
export function kafkaSecurityOptions(config: Pick<ServiceConfig, 'kafkaSecurity'>): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const security = config.kafkaSecurity;
  if (!security) return {};
  const ssl = security.tls === false ? undefined : security.tls.caFile ? { ca: [readFileSync(security.tls.caFile, 'utf8')] } : true;
  const sasl = security.sasl;
  // One branch per mechanism: kafkajs types SASL options as a union keyed by the mechanism.
  const saslOption: KafkaConfig['sasl'] =
    sasl === undefined
      ? undefined
      : sasl.mechanism === 'plain'
        ? { mechanism: 'plain', username: sasl.username, password: sasl.password }
        : sasl.mechanism === 'scram-sha-256'
          ? { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password }
          : { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  return { ...(ssl !== undefined ? { ssl } : {}), ...(saslOption ? { sasl: saslOption } : {}) };
}
