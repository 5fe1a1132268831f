import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type INestApplication,
  type INestMicroservice,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { kafkaConsumerHealthCheck, type KafkaConsumerHealthDetails, type MessagingLogger } from '@leadership/messaging-kafka';
import { METRICS_REGISTRY } from '@leadership/platform-nest';
import { AuthorityEventsController } from '../consumer/authority-events.controller';
import { AuthorityConsumer } from '../consumer/authority.consumer';
import { describeStaleness, type AuthorityFreshness } from '../projection/authority-freshness';
import { AuthorityProjection } from '../projection/authority.projection';
import { MongoAuthorityStore } from '../projection/mongo-authority.store';
import { AuthorityGuard } from './authority.guard';

/** Options of `AuthorityModule.forRoot`. */
export interface AuthorityModuleOptions {
  /** The Kafka brokers, or a kafkajs client the service already has. */
  readonly kafka: { readonly brokers: readonly string[]; readonly clientId?: string } | { readonly client: Kafka };
  /**
   * The service's own database for the projection (`authority_mandates`, `authority_units`): a
   * URI and name (the module connects and closes), or a `Db` the service already holds.
   */
  readonly mongo: { readonly uri: string; readonly dbName: string } | { readonly db: Db };
  /** Consumer group, one per service: `<service>.authority`. */
  readonly group: string;
  /** Where a new group starts (default: the beginning of the topics). */
  readonly fromBeginning?: boolean;
  /** How often to merge what other instances wrote to the store (default 5000 ms; 0: never). */
  readonly refreshIntervalMs?: number;
  /**
   * How long `startAllMicroservices` waits for the first group join, in ms (default 10 000). After
   * that the service starts anyway and answers from the state loaded from MongoDB while the
   * consumer keeps trying.
   */
  readonly waitForKafkaMs?: number;
  /** See AuthorityConsumerOptions.maxVersionJump (default 100 000). */
  readonly maxVersionJump?: number;
  /**
   * How far behind the delegation event store a grant may be answered from, in ms (default 1000, the
   * brief's bound): past it the guard answers 503 with Retry-After, `mayFresh` throws
   * AuthorityStaleError and /health is down, saying why.
   */
  readonly freshnessBoundMs?: number;
  /** How often the consumer checks it is caught up, in ms (default a quarter of the bound). */
  readonly freshnessProbeIntervalMs?: number;
  readonly logger?: MessagingLogger;
}

const AUTHORITY_RESOURCES = Symbol('AUTHORITY_RESOURCES');

/** Connections the module opened itself (closed on shutdown) and the store. */
interface AuthorityResources {
  readonly ownedClient: MongoClient | undefined;
  readonly store: MongoAuthorityStore;
}

/**
 * Warm-loads the projection when the application initialises and merges other instances' writes
 * while it runs. The MongoDB client the module opened is closed on application shutdown, which
 * Nest runs after it closed the microservices: the consumer has finished its last write by then.
 */
@Injectable()
class AuthorityLifecycle implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    @Inject(AUTHORITY_RESOURCES) private readonly resources: AuthorityResources,
    @Inject(AuthorityConsumer) private readonly consumer: AuthorityConsumer,
  ) {}

  async onModuleInit(): Promise<void> {
    // The warm load must succeed: without it there is nothing to answer from.
    await this.consumer.projection.load();
    this.consumer.startRefresh();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stopRefresh();
  }

  async onApplicationShutdown(): Promise<void> {
    // Idempotent: stops the consumer if the service never handed it to Nest (or Nest did not close it).
    await this.consumer.server.close();
    await this.resources.ownedClient?.close();
  }
}

/**
 * The authority projection of a service, as a Nest module (global): provides
 * {@link AuthorityProjection} (ask `may` directly), {@link AuthorityConsumer} (status, lag,
 * waitForVersion, and the Nest microservice `server` that consumes the delegation topics), the
 * Kafka handlers (AuthorityEventsController) and the guard behind `@RequireAuthority`. Attach the
 * consumer with `connectAuthorityConsumer(app)` before `app.startAllMicroservices()`. Consumer
 * metrics go to the platform's registry when `PlatformModule` is imported.
 */
@Module({})
export class AuthorityModule {
  static forRoot(options: AuthorityModuleOptions): DynamicModule {
    return {
      module: AuthorityModule,
      global: true,
      controllers: [AuthorityEventsController],
      providers: [
        { provide: AUTHORITY_RESOURCES, useFactory: () => openResources(options) },
        {
          provide: AuthorityProjection,
          inject: [AUTHORITY_RESOURCES],
          useFactory: (resources: AuthorityResources) => new AuthorityProjection(resources.store),
        },
        {
          provide: AuthorityConsumer,
          inject: [AuthorityProjection, { token: METRICS_REGISTRY, optional: true }],
          useFactory: (projection: AuthorityProjection, registry: Registry | undefined) =>
            new AuthorityConsumer({
              kafka: 'client' in options.kafka ? options.kafka.client : { brokers: [...options.kafka.brokers], clientId: options.kafka.clientId ?? options.group },
              group: options.group,
              projection,
              ...(options.fromBeginning !== undefined ? { fromBeginning: options.fromBeginning } : {}),
              ...(options.refreshIntervalMs !== undefined ? { refreshIntervalMs: options.refreshIntervalMs } : {}),
              ...(options.waitForKafkaMs !== undefined ? { waitForJoinMs: options.waitForKafkaMs } : {}),
              ...(options.maxVersionJump !== undefined ? { maxVersionJump: options.maxVersionJump } : {}),
              ...(options.freshnessBoundMs !== undefined ? { freshnessBoundMs: options.freshnessBoundMs } : {}),
              ...(options.freshnessProbeIntervalMs !== undefined ? { freshnessProbeIntervalMs: options.freshnessProbeIntervalMs } : {}),
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

/**
 * Attaches the authority consumer (its own group, its own handlers) to the application as a Nest
 * microservice; call before `app.startAllMicroservices()`.
 */
export function connectAuthorityConsumer(app: INestApplication): INestMicroservice {
  return app.connectMicroservice({ strategy: app.get(AuthorityConsumer).server });
}

async function openResources(options: AuthorityModuleOptions): Promise<AuthorityResources> {
  if ('db' in options.mongo) return { ownedClient: undefined, store: await MongoAuthorityStore.open(options.mongo.db) };
  const client = await MongoClient.connect(options.mongo.uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    return { ownedClient: client, store: await MongoAuthorityStore.open(client.db(options.mongo.dbName)) };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}

/** What `/health` shows under `authority` while it is up. */
export type AuthorityHealthDetails = KafkaConsumerHealthDetails & {
  /** Staleness against the bound (see AuthorityConsumer.freshness). */
  readonly freshness: AuthorityFreshness;
};

/** The `/health` check of the authority projection (a `HealthCheckSpec` for PlatformModule). */
export interface AuthorityHealthCheck {
  readonly name: string;
  /** Throws (down) with the reason; resolves with consumer status, lag and freshness otherwise. */
  check(): Promise<AuthorityHealthDetails>;
}

/**
 * For `PlatformModule.forRoot({ healthChecks })`, named `authority`: down while the projection is
 * not loaded, while the consumer is not started or is stopped, and while the projection is
 * further behind the delegation event store than the freshness bound — the service then refuses grants
 * with 503, and the message says how far behind and why (broker unreachable, messages not applied
 * yet, consumer reconnecting, …). Up otherwise, with the consumer's status, its lag per partition
 * and the freshness (staleness, bound, last caught-up moment).
 */
export function authorityHealthCheck(consumer: AuthorityConsumer): AuthorityHealthCheck {
  const consumerCheck = kafkaConsumerHealthCheck(consumer, { name: 'authority', downWhileDisconnected: false });
  return {
    name: consumerCheck.name,
    async check() {
      if (!consumer.projection.isLoaded) throw new Error('authority projection not loaded');
      const details = await consumerCheck.check();
      // Read after the lag: the report then reflects at least what the broker said just now.
      const freshness = consumer.freshness();
      if (!freshness.fresh) {
        throw new Error(
          `authority projection is ${describeStaleness(freshness.stalenessMs)} behind the delegation event store (bound ${freshness.boundMs} ms; ` +
            `last caught up ${freshness.caughtUpAt ?? 'never since start'}): ${freshness.reason ?? 'stale'}; grants are refused with 503 until it catches up`,
        );
      }
      return { ...details, freshness };
    },
  };
}
