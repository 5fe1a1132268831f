import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { Public } from '../auth/auth.guard';

/**
 * A dependency the service needs to be healthy (store, broker, …); throws when it is not. What it
 * resolves with (e.g. a consumer's state and lag per partition) is shown under its name.
 */
export interface HealthCheckSpec {
  readonly name: string;
  check(): Promise<void | Readonly<Record<string, unknown>>>;
  /** How long the check may take before it counts as down (default HEALTH_CHECK_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/**
 * A check that has not answered by then is down ("no answer within … ms"): /health answers an
 * operator's probe (3 s in deploy/) with the reason, instead of waiting for a driver's own timeout
 * (MongoDB's server selection takes 10 s) and letting the probe time out without one. Longer than
 * the Kafka consumer checks' own 2 s wait for the broker's offsets, so those still answer with
 * their reason (e.g. how far the authority projection is behind) while the broker is down.
 */
export const HEALTH_CHECK_TIMEOUT_MS = 2_500;

function withinBound<T>(spec: HealthCheckSpec): Promise<T> {
  const timeoutMs = spec.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([spec.check() as Promise<T>, timeout]).finally(() => clearTimeout(timer));
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

@ApiTags('operations')
@Controller()
export class OperationsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheckSpec[],
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  /** 200 when every dependency answers, 503 with the failing ones otherwise (each check bounded in time). */
  @Public()
  @Get('health')
  async healthCheck(@Res() res: Response): Promise<void> {
    try {
      const result = await this.health.check(
        this.checks.map((spec) => async () => {
          const session = this.indicator.check(spec.name);
          try {
            const details = await withinBound<void | Readonly<Record<string, unknown>>>(spec);
            return session.up(details ?? undefined);
          } catch (error) {
            return session.down({ message: error instanceof Error ? error.message : String(error) });
          }
        }),
      );
      res.status(200).json(result);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        res.status(503).json(error.getResponse());
        return;
      }
      throw error;
    }
  }

  /** Prometheus exposition format. */
  @Public()
  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.type(this.registry.contentType).send(await this.registry.metrics());
  }
}
