import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, Reflector } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { Registry } from 'prom-client';
import { AuthGuard } from './auth/auth.guard';
import { ensureDevIssuerKey } from './auth/dev-issuer';
import { authConfigFromEnv, TokenVerifier, type AuthConfig } from './auth/token-verifier';
import { ProblemDetailsFilter, defaultErrorMappers, type ErrorMapper } from './http/problem-details.filter';
import { HEALTH_CHECKS, METRICS_REGISTRY, OperationsController, type HealthCheckSpec } from './observability/health.controller';
import { JsonLogger } from './observability/json-logger';
import { createMetricsRegistry } from './observability/metrics';

export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');

export interface PlatformModuleOptions {
  readonly serviceName: string;
  /** Defaults to authConfigFromEnv(): JWKS in production, the local dev issuer otherwise. */
  readonly auth?: AuthConfig;
  /** Extra error → problem mappers, tried before the defaults. */
  readonly errorMappers?: readonly ErrorMapper[];
  /** Dependencies reported by /health. */
  readonly healthChecks?: {
    readonly imports?: ModuleMetadata['imports'];
    readonly inject?: InjectionToken[];
    readonly useFactory: (...deps: never[]) => HealthCheckSpec[];
  };
  /** Reuse a registry created before the app (e.g. by main.ts for libraries started earlier). */
  readonly metricsRegistry?: Registry;
}

/**
 * What every service shares: bearer-token guard (global), RFC 9457 problem+json for every
 * error, JSON logs with correlation ids, /health and /metrics.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const registry = options.metricsRegistry ?? createMetricsRegistry(options.serviceName);
    const logger = new JsonLogger(options.serviceName);
    return {
      module: PlatformModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.healthChecks?.imports ?? [])],
      controllers: [OperationsController],
      providers: [
        { provide: METRICS_REGISTRY, useValue: registry },
        { provide: SERVICE_LOGGER, useValue: logger },
        {
          provide: TokenVerifier,
          useFactory: async () => {
            const auth = options.auth ?? authConfigFromEnv();
            // The local stack is its own dev issuer: create its key on first start.
            if (auth.mode === 'dev') await ensureDevIssuerKey(auth.keyFile);
            return new TokenVerifier(auth);
          },
        },
        { provide: APP_GUARD, inject: [TokenVerifier, Reflector], useFactory: (v: TokenVerifier, r: Reflector) => new AuthGuard(v, r) },
        {
          provide: APP_FILTER,
          useFactory: () => new ProblemDetailsFilter(logger, [...(options.errorMappers ?? []), ...defaultErrorMappers]),
        },
        options.healthChecks
          ? { provide: HEALTH_CHECKS, inject: options.healthChecks.inject ?? [], useFactory: options.healthChecks.useFactory }
          : { provide: HEALTH_CHECKS, useValue: [] },
      ],
      exports: [METRICS_REGISTRY, SERVICE_LOGGER, TokenVerifier],
    };
  }
}
