import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import mongoose from 'mongoose';
import { EventStoreDbEventStore, SqliteEventStore, type EventStore } from '@leadership/event-store';
import { HashChainedEventStore } from '@leadership/delegation-audit';
import { createHttpService, createMetricsRegistry, JsonLogger, type AuthConfig } from '@leadership/platform-nest';
import type { DelegationConfig } from './delegation-config';
import { createDelegationServices, type DelegationServices } from './delegation-services';
import { DelegationModule } from './delegation.module';
import { DelegationScheduler } from './scheduler/delegation-scheduler';

export interface DelegationRuntime {
  readonly app: INestApplication;
  readonly services: DelegationServices;
  readonly url: string;
  readonly scheduler: DelegationScheduler;
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
  const services = createDelegationServices(store, db, options.now, (error) => logger.error(error, 'projector'));
  let app: INestApplication | undefined;
  try {
    await services.projector.start();
    const registry = createMetricsRegistry('delegation');
    app = await createHttpService(
      DelegationModule.forRoot({ services, metricsRegistry: registry, ...(options.auth ? { auth: options.auth } : {}) }),
      {
        serviceName: 'delegation',
        title: 'Delegation service',
        description: 'Directory, task-type catalogue, event-sourced mandates, authority checks and audit for compliance.',
        version: '1.0.0',
        bodyLimit: '10mb',
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
  const started = app;
  const address = started.getHttpServer().address() as { port: number };
  const url = `http://${config.host}:${address.port}`;
  let closed = false;
  return {
    app: started,
    services,
    url,
    scheduler,
    async close() {
      if (closed) return;
      closed = true;
      await scheduler.stop();
      await started.close();
      await services.projector.stop();
      await store.close();
      await connection.close();
    },
  };
}
