import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, Reflector } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { Counter, type Registry } from 'prom-client';
import { AuthGuard } from './auth/auth.guard';
import { assertAuthModeAllowed, authConfigFromEnv, type AuthConfig } from './auth/auth-config';
import { ensureDevIssuerKey } from './auth/dev-issuer';
import { TokenVerifier } from './auth/token-verifier';
import { AsyncApiController, ASYNCAPI_DOCUMENT } from './http/asyncapi.controller';
import { ProblemDetailsFilter, defaultErrorMappers, type ErrorMapper } from './http/problem-details.filter';
import { HEALTH_CHECKS, METRICS_REGISTRY, OperationsController, type HealthCheckSpec } from './observability/health.controller';
import { JsonLogger } from './observability/json-logger';
import { createMetricsRegistry } from './observability/metrics';

export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');

export interface PlatformModuleOptions {
  readonly serviceName: string;
  /**
   * How bearer tokens are verified. Defaults to authConfigFromEnv(): the identity provider's JWKS
   * (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE), or the local dev issuer with AUTH_MODE=dev.
   * The dev issuer is refused when NODE_ENV=production, however it is configured.
   */
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
  /** The service's AsyncAPI document, served at /asyncapi.json (built once, from its contracts). */
  readonly asyncApi?: () => Readonly<Record<string, unknown>>;
}

/** `auth_token_checks_total{outcome}`: how many requests needed a signature check, hit the cache, were refused. */
function tokenCheckMetric(registry: Registry, verifier: TokenVerifier): void {
  const name = 'auth_token_checks_total';
  registry.removeSingleMetric(name);
  new Counter({
    name,
    help: 'Bearer tokens by outcome: signature (verified), cache (a token verified before), refused',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const stats = verifier.stats();
      this.reset();
      this.inc({ outcome: 'signature' }, stats.signatureChecks);
      this.inc({ outcome: 'cache' }, stats.cacheHits);
      this.inc({ outcome: 'refused' }, stats.refused);
    },
  });
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
      controllers: [OperationsController, ...(options.asyncApi ? [AsyncApiController] : [])],
      providers: [
        { provide: METRICS_REGISTRY, useValue: registry },
        ...(options.asyncApi ? [{ provide: ASYNCAPI_DOCUMENT, useFactory: options.asyncApi }] : []),
        { provide: SERVICE_LOGGER, useValue: logger },
        {
          provide: TokenVerifier,
          useFactory: async () => {
            const auth = options.auth ?? authConfigFromEnv();
            assertAuthModeAllowed(auth);
            // The local stack is its own dev issuer: create its key on first start.
            if (auth.mode === 'dev') await ensureDevIssuerKey(auth.keyFile);
            const verifier = new TokenVerifier(auth);
            tokenCheckMetric(registry, verifier);
            return verifier;
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
