import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor, PlatformModule, problems, type AuthConfig, type ErrorMapper, type IdempotencyRecord } from '@leadership/platform-nest';
import type { Registry } from 'prom-client';
import { projectorHealthCheck } from '@leadership/projection';
import type { DelegationServices } from './delegation-services';
import { AsyncApiController } from './http/asyncapi.controller';
import { AuditController } from './http/audit.controller';
import { AuthorityController } from './http/authority.controller';
import { DirectoryController, TaskTypesController, UnitsController } from './http/directory.controller';
import { DELEGATION_SERVICES } from './http/http-support';
import { MandatesController } from './http/mandates.controller';

/** Domain rules that are not "unprocessable" but "not found" or "conflict" in HTTP terms. */
export const delegationErrorMappers: readonly ErrorMapper[] = [
  (e) => {
    const rule = (e as { rule?: unknown }).rule;
    const message = e instanceof Error ? e.message : '';
    const details = (e as { details?: Record<string, unknown> }).details ?? {};
    if (rule === 'mandate.not-found') return problems.notFound(message);
    if (rule === 'mandate.exclusive-overlap' || rule === 'mandate.already-exists') return problems.conflict(message, { rule, details });
    return undefined;
  },
];

export interface DelegationModuleOptions {
  readonly services: DelegationServices;
  readonly auth?: AuthConfig;
  readonly metricsRegistry?: Registry;
}

/** The delegation HTTP API on the platform conventions. */
@Module({})
export class DelegationModule {
  static forRoot(options: DelegationModuleOptions): DynamicModule {
    const { services } = options;
    return {
      module: DelegationModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'delegation',
          ...(options.auth ? { auth: options.auth } : {}),
          ...(options.metricsRegistry ? { metricsRegistry: options.metricsRegistry } : {}),
          errorMappers: delegationErrorMappers,
          healthChecks: {
            useFactory: () => [
              { name: 'event-store', check: async () => void (await services.store.headPosition()) },
              { name: 'mongodb', check: async () => void (await services.db.command({ ping: 1 })) },
              projectorHealthCheck(services.projector),
            ],
          },
        }),
      ],
      controllers: [AsyncApiController, MandatesController, DirectoryController, TaskTypesController, UnitsController, AuthorityController, AuditController],
      providers: [
        { provide: DELEGATION_SERVICES, useValue: services },
        {
          provide: APP_INTERCEPTOR,
          useFactory: () => new IdempotencyInterceptor(services.db.collection<IdempotencyRecord>('idempotency_records'), services.now),
        },
      ],
    };
  }
}
