import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { GenerateDraftPlanHandler, type PlanCommandResult } from '@leadership/onboarding-application';
import { commandContext, CurrentActor, etag, openApiSchema, ProblemException, problems, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { PlanReadModel } from '../read-model/plan.read-model';
import { draftPlanBody, planIdParam, planListQuery } from './plan.schemas';

const idempotencyKey = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first response' });

/** The plan resource as a command answers it (the state it left, its version). */
function present(result: PlanCommandResult) {
  const { status, unitId, createdAt } = result.plan;
  return { newcomerId: result.planId, version: result.version, status, unitId, createdAt };
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
    private readonly draftPlan: GenerateDraftPlanHandler,
    private readonly readModel: PlanReadModel,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Draft a plan for a newcomer (a newcomer with a plan keeps it)' })
  @ApiBody({ schema: openApiSchema(draftPlanBody) })
  @idempotencyKey
  async draft(
    @ZodBody(draftPlanBody) body: z.infer<typeof draftPlanBody>,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.draftPlan.execute({ newcomerId: body.newcomerId, unitId: body.unitId }, commandContext(actor, req));
    res.setHeader('Location', `/plans/${result.planId}`);
    res.setHeader('ETag', etag(result.version));
    return present(result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A plan from the read model; ETag = version' })
  async get(@Param('id', new ZodValidationPipe(planIdParam, 'params')) id: string, @Res({ passthrough: true }) res: Response) {
    const found = await this.readModel.find(id);
    if (!found) throw new ProblemException(problems.notFound(`No plan ${id} (a plan drafted a moment ago may take a few milliseconds to appear).`));
    res.setHeader('ETag', etag(found.version));
    return found;
  }

  @Get()
  @ApiOperation({ summary: 'Plans, newest first, optionally by status (from the read model)' })
  async list(@Query(new ZodValidationPipe(planListQuery, 'query')) query: z.infer<typeof planListQuery>) {
    return { items: await this.readModel.list(query) };
  }
}
