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

  /** 200 when every dependency answers, 503 with the failing ones otherwise. */
  @Public()
  @Get('health')
  async healthCheck(@Res() res: Response): Promise<void> {
    try {
      const result = await this.health.check(
        this.checks.map((spec) => async () => {
          const session = this.indicator.check(spec.name);
          try {
            const details = await spec.check();
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
