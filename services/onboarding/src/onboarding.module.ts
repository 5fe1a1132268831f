import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { AuthorityConsumer, AuthorityEventsController, AuthorityGuard, AuthorityProjection } from '@leadership/authority';
import type { EventStore } from '@leadership/event-store';
import { GenerateDraftPlanHandler } from '@leadership/onboarding-application';
import { onboardingAsyncApi } from '@leadership/onboarding-contracts';
import { IdempotencyInterceptor, PlatformModule, problems, type ErrorMapper, type HealthCheckSpec, type IdempotencyRecord, type PlatformModuleOptions } from '@leadership/platform-nest';
import { PlanReadModel, PlansController } from '@leadership/onboarding-infrastructure';

/** Domain rules that are not "unprocessable" (422, the default) but "not found" or "conflict" in HTTP terms. */
export const onboardingErrorMappers: readonly ErrorMapper[] = [
  (e) => {
    const rule = (e as { rule?: unknown }).rule;
    const message = e instanceof Error ? e.message : '';
    if (rule === 'plan.not-found') return problems.notFound(message);
    if (rule === 'plan.already-generated') return problems.conflict(message, { rule });
    return undefined;
  },
];

export interface OnboardingModuleOptions {
  readonly store: EventStore;
  readonly readModel: PlanReadModel;
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

/** The onboarding HTTP API on the platform conventions (bearer tokens, problem+json, idempotency, /health, /metrics, /docs). */
@Module({})
export class OnboardingModule {
  static forRoot(options: OnboardingModuleOptions): DynamicModule {
    return {
      module: OnboardingModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'onboarding',
          ...(options.auth ? { auth: options.auth } : {}),
          metricsRegistry: options.metricsRegistry,
          errorMappers: onboardingErrorMappers,
          asyncApi: onboardingAsyncApi,
          healthChecks: { useFactory: () => [...options.healthChecks] },
        }),
      ],
      controllers: [PlansController, AuthorityEventsController],
      providers: [
        // Each controller gets the use cases it calls, nothing more.
        { provide: GenerateDraftPlanHandler, useValue: new GenerateDraftPlanHandler(options.store, options.now) },
        { provide: PlanReadModel, useValue: options.readModel },
        { provide: AuthorityConsumer, useValue: options.authority },
        { provide: AuthorityProjection, useValue: options.authority.projection },
        AuthorityGuard,
        // Global, so it also wraps the Kafka handlers (inheritAppConfig); it lets non-HTTP calls through.
        { provide: APP_INTERCEPTOR, useFactory: () => new IdempotencyInterceptor(options.db.collection<IdempotencyRecord>('idempotency_records'), options.now) },
      ],
    };
  }
}
