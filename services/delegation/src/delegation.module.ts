import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import {
  AuditController,
  AUDIT_PORT,
  AuthorityController,
  delegationAsyncApi,
  delegationHttpPorts,
  DIRECTORY_PORT,
  DirectoryController,
  LEADERSHIP_PORT,
  MANDATES_PORT,
  MandatesController,
  TASK_TYPES_PORT,
  TaskTypesController,
  FrameworkChecksController,
  UnitsController,
  type DelegationParts,
} from '@leadership/delegation-infrastructure';
import { IdempotencyInterceptor, PlatformModule, problems, type AuthConfig, type ErrorMapper, type HealthCheckSpec, type IdempotencyRecord } from '@leadership/platform-nest';

/** Domain rules that are not "unprocessable" but "not found" or "conflict" in HTTP terms. */
export const delegationErrorMappers: readonly ErrorMapper[] = [
  (e) => {
    const rule = (e as { rule?: unknown }).rule;
    const message = e instanceof Error ? e.message : '';
    const details = (e as { details?: Record<string, unknown> }).details ?? {};
    if (rule === 'mandate.not-found') return problems.notFound(message);
    if (rule === 'mandate.exclusive-overlap' || rule === 'mandate.already-exists') return problems.conflict(message, { rule, details });
    // Too many amendments: the caller should wait (until `retryAt`), not change the request.
    if (rule === 'mandate.amend-rate-limited') return { type: 'https://leadership.example/problems/rate-limited', title: 'Too many requests', status: 429, detail: message, rule, retryAt: details['retryAt'] };
    return undefined;
  },
];

export interface DelegationModuleOptions {
  readonly parts: DelegationParts;
  readonly connection: Connection;
  readonly auth: AuthConfig;
  readonly metricsRegistry: Registry;
  readonly healthChecks: readonly HealthCheckSpec[];
}

/** The delegation HTTP API on the platform conventions; each controller gets its own narrow port. */
@Module({})
export class DelegationModule {
  static forRoot(options: DelegationModuleOptions): DynamicModule {
    const ports = delegationHttpPorts(options.parts);
    const db = options.connection.db;
    if (!db) throw new Error('MongoDB connection has no database');
    return {
      module: DelegationModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'delegation',
          auth: options.auth,
          metricsRegistry: options.metricsRegistry,
          errorMappers: delegationErrorMappers,
          asyncApi: delegationAsyncApi,
          healthChecks: { useFactory: () => [...options.healthChecks] },
        }),
      ],
      controllers: [MandatesController, DirectoryController, TaskTypesController, FrameworkChecksController, UnitsController, AuthorityController, AuditController],
      providers: [
        { provide: MANDATES_PORT, useValue: ports.mandates },
        { provide: DIRECTORY_PORT, useValue: ports.directory },
        { provide: TASK_TYPES_PORT, useValue: ports.taskTypes },
        { provide: LEADERSHIP_PORT, useValue: ports.leadership },
        { provide: AUDIT_PORT, useValue: ports.audit },
        { provide: APP_INTERCEPTOR, useFactory: () => new IdempotencyInterceptor(db.collection<IdempotencyRecord>('idempotency_records'), options.parts.now) },
      ],
    };
  }
}
