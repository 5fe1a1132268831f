import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { AuthorityConsumer, AuthorityEventsController, AuthorityGuard, AuthorityProjection } from '@leadership/authority';
import type { EventStore } from '@leadership/event-store';
import { RegisterCaseHandler, ResolveCaseHandler } from '@leadership/case-distribution-application';
import { caseDistributionAsyncApi } from '@leadership/case-distribution-contracts';
import { IdempotencyInterceptor, PlatformModule, problems, type ErrorMapper, type HealthCheckSpec, type IdempotencyRecord, type PlatformModuleOptions } from '@leadership/platform-nest';
import { CaseReadModel, CasesController } from '@leadership/case-distribution-infrastructure';

/** Domain rules that are not "unprocessable" (422, the default) but "not found" or "conflict" in HTTP terms. */
export const caseDistributionErrorMappers: readonly ErrorMapper[] = [
  (e) => {
    const rule = (e as { rule?: unknown }).rule;
    const message = e instanceof Error ? e.message : '';
    if (rule === 'case.not-found' || rule === 'queue.not-found') return problems.notFound(message);
    if (rule === 'case.already-exists') return problems.conflict(message, { rule });
    return undefined;
  },
];

export interface CaseDistributionModuleOptions {
  readonly store: EventStore;
  readonly readModel: CaseReadModel;
  /** The service's database (idempotency records). */
  readonly db: Db;
  readonly now: () => Date;
  readonly metricsRegistry: Registry;
  /**
   * The authority projection's consumer, built by the composition root (its `server` is one of the
   * service's Kafka consumers): its handlers, `may(...)` and the guard behind `@RequireAuthority`
   * are registered here.
   */
  readonly authority: AuthorityConsumer;
  /** /health: the composition root lists them (store, database, projector, relay, consumers). */
  readonly healthChecks: readonly HealthCheckSpec[];
  readonly auth?: PlatformModuleOptions['auth'];
}

/** The case distribution HTTP API on the platform conventions (bearer tokens, problem+json, idempotency, /health, /metrics, /docs). */
@Module({})
export class CaseDistributionModule {
  static forRoot(options: CaseDistributionModuleOptions): DynamicModule {
    return {
      module: CaseDistributionModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'case-distribution',
          ...(options.auth ? { auth: options.auth } : {}),
          metricsRegistry: options.metricsRegistry,
          errorMappers: caseDistributionErrorMappers,
          asyncApi: caseDistributionAsyncApi,
          healthChecks: { useFactory: () => [...options.healthChecks] },
        }),
      ],
      controllers: [CasesController, AuthorityEventsController],
      providers: [
        // Each controller gets the use cases it calls, nothing more.
        { provide: RegisterCaseHandler, useValue: new RegisterCaseHandler(options.store, options.now) },
        { provide: ResolveCaseHandler, useValue: new ResolveCaseHandler(options.store, options.now) },
        { provide: CaseReadModel, useValue: options.readModel },
        { provide: AuthorityConsumer, useValue: options.authority },
        { provide: AuthorityProjection, useValue: options.authority.projection },
        AuthorityGuard,
        // Global, so it also wraps the Kafka handlers (inheritAppConfig); it lets non-HTTP calls through.
        { provide: APP_INTERCEPTOR, useFactory: () => new IdempotencyInterceptor(options.db.collection<IdempotencyRecord>('idempotency_records'), options.now) },
      ],
    };
  }
}
