import { Inject, Injectable, Module, type DynamicModule, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { MongoProcessedEventStore, type MessagingLogger } from '@leadership/messaging-kafka';
import { METRICS_REGISTRY, type HealthCheckSpec } from '@leadership/platform-nest';
import { AuthorityConsumer } from '../consumer/authority.consumer';
import { AuthorityProjection } from '../projection/authority.projection';
import { MongoAuthorityStore } from '../projection/mongo-authority.store';
import { AuthorityGuard } from './authority.guard';

/** Options of `AuthorityModule.forRoot`. */
export interface AuthorityModuleOptions {
  /** The Kafka brokers, or a kafkajs client the service already has. */
  readonly kafka: { readonly brokers: readonly string[]; readonly clientId?: string } | { readonly client: Kafka };
  /**
   * The service's own database for the projection (`authority_mandates`, `authority_units`) and
   * the consumer's processed-event record: a URI and name (the module connects and closes), or a
   * `Db` the service already holds.
   */
  readonly mongo: { readonly uri: string; readonly dbName: string } | { readonly db: Db };
  /** Consumer group, one per service: `<service>.authority`. */
  readonly group: string;
  /** Where a new group starts (default: the beginning of the topics). */
  readonly fromBeginning?: boolean;
  /** How often to merge what other instances wrote to the store (default 5000 ms; 0: never). */
  readonly refreshIntervalMs?: number;
  /**
   * How long application start waits for the first group join, in ms (default 10 000). After that
   * the service starts anyway and answers from the state loaded from MongoDB while the consumer
   * keeps trying.
   */
  readonly waitForKafkaMs?: number;
  readonly logger?: MessagingLogger;
}

const AUTHORITY_OPTIONS = Symbol('AUTHORITY_OPTIONS');
const AUTHORITY_RESOURCES = Symbol('AUTHORITY_RESOURCES');

/** Connections the module opened itself (closed on shutdown) and the store. */
interface AuthorityResources {
  readonly db: Db;
  readonly ownedClient: MongoClient | undefined;
  readonly store: MongoAuthorityStore;
  readonly kafka: Kafka;
}

/** Starts the consumer when the application starts, stops it (and what the module opened) on shutdown. */
@Injectable()
class AuthorityLifecycle implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(AUTHORITY_OPTIONS) private readonly options: AuthorityModuleOptions,
    @Inject(AUTHORITY_RESOURCES) private readonly resources: AuthorityResources,
    @Inject(AuthorityConsumer) private readonly consumer: AuthorityConsumer,
  ) {}

  async onModuleInit(): Promise<void> {
    // The warm load must succeed: without it there is nothing to answer from.
    await this.consumer.projection.load();
    const joined = this.consumer.start();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.waitForKafkaMs ?? 10_000);
    });
    await Promise.race([joined, gaveUp]).finally(() => clearTimeout(timer));
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
    await this.resources.ownedClient?.close();
  }
}

/**
 * The authority projection of a service, as a Nest module (global): provides
 * {@link AuthorityProjection} (ask `may` directly), {@link AuthorityConsumer} (status, lag,
 * waitForVersion) and the guard behind `@RequireAuthority`. The projection is warm-loaded from
 * MongoDB and the consumer started when the application initialises; both stop on shutdown.
 * Consumer metrics go to the platform's registry when `PlatformModule` is imported.
 */
@Module({})
export class AuthorityModule {
  static forRoot(options: AuthorityModuleOptions): DynamicModule {
    return {
      module: AuthorityModule,
      global: true,
      providers: [
        { provide: AUTHORITY_OPTIONS, useValue: options },
        { provide: AUTHORITY_RESOURCES, useFactory: () => openResources(options) },
        {
          provide: AuthorityProjection,
          inject: [AUTHORITY_RESOURCES],
          useFactory: (resources: AuthorityResources) => new AuthorityProjection(resources.store),
        },
        {
          provide: AuthorityConsumer,
          inject: [AUTHORITY_RESOURCES, AuthorityProjection, { token: METRICS_REGISTRY, optional: true }],
          useFactory: (resources: AuthorityResources, projection: AuthorityProjection, registry: Registry | undefined) =>
            new AuthorityConsumer({
              kafka: resources.kafka,
              group: options.group,
              projection,
              processedEvents: MongoProcessedEventStore.inDatabase(resources.db),
              ...(options.fromBeginning !== undefined ? { fromBeginning: options.fromBeginning } : {}),
              ...(options.refreshIntervalMs !== undefined ? { refreshIntervalMs: options.refreshIntervalMs } : {}),
              ...(registry ? { metrics: registry } : {}),
              ...(options.logger ? { logger: options.logger } : {}),
            }),
        },
        AuthorityLifecycle,
        AuthorityGuard,
      ],
      exports: [AuthorityProjection, AuthorityConsumer, AuthorityGuard],
    };
  }

  /**
   * The guard over a projection the caller built and feeds (no Kafka, no MongoDB): for a
   * service's own tests, e.g. with an `InMemoryAuthorityStore`.
   */
  static forProjection(projection: AuthorityProjection): DynamicModule {
    return {
      module: AuthorityModule,
      global: true,
      providers: [{ provide: AuthorityProjection, useValue: projection }, AuthorityGuard],
      exports: [AuthorityProjection, AuthorityGuard],
    };
  }
}

async function openResources(options: AuthorityModuleOptions): Promise<AuthorityResources> {
  const kafka =
    'client' in options.kafka
      ? options.kafka.client
      : new Kafka({ clientId: options.kafka.clientId ?? options.group, brokers: [...options.kafka.brokers], logLevel: logLevel.WARN });
  if ('db' in options.mongo) {
    return { db: options.mongo.db, ownedClient: undefined, store: await MongoAuthorityStore.open(options.mongo.db), kafka };
  }
  const client = await MongoClient.connect(options.mongo.uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const db = client.db(options.mongo.dbName);
    return { db, ownedClient: client, store: await MongoAuthorityStore.open(db), kafka };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}

/**
 * For `PlatformModule.forRoot({ healthChecks })`: down while the projection is not loaded or
 * the consumer is stopped. A broker outage alone keeps it up — the service answers from the
 * last known state by design; watch `leadership_consumer_lag` and `status().lastError` for that.
 */
export function authorityHealthCheck(consumer: AuthorityConsumer): HealthCheckSpec {
  return {
    name: 'authority',
    async check() {
      const status = consumer.status();
      if (!consumer.projection.isLoaded) throw new Error('authority projection not loaded');
      if (status.state === 'idle' || status.state === 'stopping' || status.state === 'stopped') {
        throw new Error(`authority consumer ${status.group} is ${status.state}`);
      }
    },
  };
}
