import { Controller, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CreateNewcomerHandler, EditPlanHandler, NewcomerPlanQuery, type PlanEdit } from '@leadership/onboarding-application';
import { createNewcomerBody, patchPlanBody, type CreateNewcomerBody, type PatchPlanBody } from '@leadership/onboarding-contracts';
import { commandContext, CurrentActor, etag, expectedVersion, openApiSchema, ROLES, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { idParam } from './onboarding.schemas';
import { presentPlan } from './onboarding.presenters';

const READ_ALL_ROLES: readonly string[] = [ROLES.compliance, ROLES.admin, ROLES.system];
export const readsEverything = (actor: Actor): boolean => actor.roles.some((role) => READ_ALL_ROLES.includes(role));

/**
 * Newcomers and their plans. `POST /newcomers` generates the plan, schedules its sessions and books
 * presenters (authority `onboarding.plan`; presenters with `onboarding.book-presenter`); the plan is
 * read from its stream (always current, ETag = version); edits need If-Match.
 */
@ApiTags('newcomers')
@Controller('newcomers')
export class NewcomersController {
  constructor(
    private readonly createNewcomer: CreateNewcomerHandler,
    private readonly editPlan: EditPlanHandler,
    private readonly newcomerPlan: NewcomerPlanQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Generate a newcomer's plan from programmes; sessions are scheduled and presenters booked (role slots resolved now)" })
  @ApiBody({ schema: openApiSchema(createNewcomerBody) })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first response' })
  async create(@ZodBody(createNewcomerBody) body: CreateNewcomerBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const context = commandContext(actor, req);
    const result = await this.createNewcomer.execute(body, context);
    const plan = await this.newcomerPlan.execute(result.planId, actor.personId, true);
    res.setHeader('Location', `/newcomers/${result.planId}/plan`);
    res.setHeader('ETag', etag(plan.version));
    return { ...presentPlan(plan), bookings: result.bookings };
  }

  @Get(':id/plan')
  @ApiOperation({ summary: 'The plan with its sessions, presenters and checklist (the newcomer, the organiser, whoever may plan in the unit)' })
  async plan(@Param('id', new ZodValidationPipe(idParam, 'params')) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const plan = await this.newcomerPlan.execute(id, actor.personId, readsEverything(actor));
    res.setHeader('ETag', etag(plan.version));
    return presentPlan(plan);
  }

  @Patch(':id/plan')
  @ApiOperation({ summary: "Edit this newcomer's plan only (If-Match): change, add, remove steps, complete tasks or the plan; all edits or none" })
  @ApiBody({ schema: openApiSchema(patchPlanBody) })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the plan version the edits are based on, e.g. "3"' })
  async patch(@Param('id', new ZodValidationPipe(idParam, 'params')) id: string, @ZodBody(patchPlanBody) body: PatchPlanBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const version = expectedVersion(req, 'the plan (GET /newcomers/{id}/plan)');
    const result = await this.editPlan.execute({ newcomerId: id, edits: body.edits as readonly PlanEdit[], expectedVersion: version }, commandContext(actor, req));
    const plan = await this.newcomerPlan.execute(id, actor.personId, true);
    res.setHeader('ETag', etag(plan.version));
    return { ...presentPlan(plan), bookings: result.bookings };
  }
}
