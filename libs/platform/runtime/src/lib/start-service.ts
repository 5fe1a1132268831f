import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { CustomStrategy } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import type { EventStore } from '@leadership/event-store';
import { ensureTopics, kafkaLogCreator, type TopicDeclaration } from '@leadership/messaging-kafka';
import { createHttpService, createMetricsRegistry, JsonLogger, type HealthCheckSpec, type HttpServiceOptions } from '@leadership/platform-nest';
import { componentLogger } from './component-logger';
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
  /** Wraps the opened event store (e.g. the audit library's hash chain). */
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
 * shutdown: event store and MongoDB → the service's parts → foundation workers (projectors) →
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
    const kafka = new Kafka({ clientId: config.serviceName, brokers: [...config.kafkaBrokers], logLevel: logLevel.WARN, logCreator: kafkaLogCreator(logger) });
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
    for (const worker of composition.foundation ?? []) {
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
