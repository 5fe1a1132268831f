import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { ClosePlanHandler, RegisterPlanHandler, type PlanCommandResult } from '@leadership/onboarding-application';
import { deterministicId } from '@leadership/kernel';
import { commandContext, CurrentActor, etag, expectedVersion, openApiSchema, ProblemException, problems, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { PlanReadModel } from '../read-model/plan.read-model';
import { closePlanBody, planIdParam, planListQuery, registerPlanBody } from './plan.schemas';

const idempotencyKey = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first response' });
const ifMatch = ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the plan version the command is based on, e.g. "0"' });

/** The plan resource as a command answers it (the state it left, its version). */
function present(result: PlanCommandResult) {
  const { status, title, registeredAt, registeredBy, closedAt } = result.plan;
  return { planId: result.planId, version: result.version, status, title, registeredAt, registeredBy, closedAt };
}

/**
 * The plans API: commands go through the use cases (event store, decider), reads come from
 * the read model (eventually consistent, a few milliseconds behind). Every route needs a bearer
 * token (the platform's global guard); errors are problem+json.
 */
@ApiTags('plans')
@Controller('plans')
export class PlansController {
  constructor(
    private readonly registerPlan: RegisterPlanHandler,
    private readonly closePlan: ClosePlanHandler,
    private readonly readModel: PlanReadModel,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a plan' })
  @ApiBody({ schema: openApiSchema(registerPlanBody) })
  @idempotencyKey
  async register(
    @ZodBody(registerPlanBody) body: z.infer<typeof registerPlanBody>,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const context = commandContext(actor, req);
    // With an Idempotency-Key the id is derived from it, so a retry finds the same plan.
    const planId = context.idempotencyKey ? deterministicId('plan', context.idempotencyKey) : randomUUID();
    const result = await this.registerPlan.execute({ planId, title: body.title }, context);
    res.setHeader('Location', `/plans/${planId}`);
    res.setHeader('ETag', etag(result.version));
    return present(result);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a plan (If-Match: the version you read)' })
  @ApiBody({ schema: openApiSchema(closePlanBody) })
  @ifMatch
  @idempotencyKey
  async close(
    @Param('id', new ZodValidationPipe(planIdParam, 'params')) id: string,
    @ZodBody(closePlanBody) body: z.infer<typeof closePlanBody>,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.closePlan.execute({ planId: id, reason: body.reason, expectedVersion: expectedVersion(req, 'the plan you read') }, commandContext(actor, req));
    res.setHeader('ETag', etag(result.version));
    return present(result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A plan from the read model; ETag = version' })
  async get(@Param('id', new ZodValidationPipe(planIdParam, 'params')) id: string, @Res({ passthrough: true }) res: Response) {
    const found = await this.readModel.find(id);
    if (!found) throw new ProblemException(problems.notFound(`No plan ${id} (a plan registered a moment ago may take a few milliseconds to appear).`));
    res.setHeader('ETag', etag(found.version));
    return found;
  }

  @Get()
  @ApiOperation({ summary: 'Plans, newest first, optionally by status (from the read model)' })
  async list(@Query(new ZodValidationPipe(planListQuery, 'query')) query: z.infer<typeof planListQuery>) {
    return { items: await this.readModel.list(query) };
  }
}
