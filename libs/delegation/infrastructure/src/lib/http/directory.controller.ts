import { Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { CurrentActor, ProblemException, problems, RequireRoles, ROLES, ZodBody, type Actor, commandContext, etag, ZodQuery, openApiSchema } from '@leadership/platform-nest';
import { PERSON_STREAM_CATEGORY, UNIT_STREAM_CATEGORY } from '@leadership/delegation-domain';
import { InjectDirectory, InjectLeadership, InjectTaskTypes, type DirectoryPort, type LeadershipPort, type TaskTypesPort } from './delegation-http.ports';
import { atQuery, importBody, personBody, taskTypeBody, taskTypeKey, unitBody } from './schemas';

@ApiTags('directory')
@Controller('directory')
export class DirectoryController {
  constructor(
    @InjectDirectory() private readonly directory: DirectoryPort,
    @InjectLeadership() private readonly access: LeadershipPort,
  ) {}

  @Put('units/:id')
  @RequireRoles(ROLES.admin, ROLES.directorySync)
  @ApiOperation({ summary: 'Register or update a unit (HR); 201 when created, 200 otherwise' })
  @ApiBody({ schema: openApiSchema(unitBody) })
  async putUnit(@Param('id') id: string, @ZodBody(unitBody) body: z.infer<typeof unitBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.directory.commands.upsertUnit.execute({ id, ...body }, commandContext(actor, req));
    res.status(result.outcome === 'created' ? 201 : 200).setHeader('ETag', etag(result.version));
    return { id, ...body, version: result.version, outcome: result.outcome };
  }

  @Put('people/:id')
  @RequireRoles(ROLES.admin, ROLES.directorySync)
  @ApiOperation({ summary: 'Register or update a person (HR); 201 when created, 200 otherwise' })
  @ApiBody({ schema: openApiSchema(personBody) })
  async putPerson(@Param('id') id: string, @ZodBody(personBody) body: z.infer<typeof personBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.directory.commands.upsertPerson.execute({ id, ...body }, commandContext(actor, req));
    res.status(result.outcome === 'created' ? 201 : 200).setHeader('ETag', etag(result.version));
    return { id, ...body, version: result.version, outcome: result.outcome };
  }

  @Post('import')
  @HttpCode(200)
  @RequireRoles(ROLES.admin, ROLES.directorySync)
  @ApiOperation({ summary: 'Bulk import units and people; reports created / updated / unchanged / rejected per row' })
  @ApiBody({ schema: openApiSchema(importBody) })
  async import(@ZodBody(importBody) body: z.infer<typeof importBody>, @CurrentActor() actor: Actor, @Req() req: Request) {
    return this.directory.commands.import.execute({ batch: body }, commandContext(actor, req));
  }

  @Get('units/:id')
  @ApiOperation({ summary: 'A unit: its members, formal managers of it or a unit above, coordinators there, and admin, system, compliance callers (else 403)' })
  async unit(@Param('id') id: string, @CurrentActor() actor: Actor) {
    const unit = await this.directory.unit(id);
    if (!unit) throw new ProblemException(problems.notFound(`No unit ${id}.`));
    await this.access.assertMayViewUnit(actor, id);
    return unit;
  }

  @Get('people/:id')
  async person(@Param('id') id: string, @CurrentActor() actor: Actor) {
    // Names and e-mail addresses are personal data: the person, HR systems, admins and compliance only.
    if (actor.personId !== id && ![ROLES.admin, ROLES.system, ROLES.directorySync, ROLES.compliance].some((r) => actor.roles.includes(r))) {
      throw new ProblemException(problems.forbidden('Only the person, admins, HR and other systems, and compliance may read a person record.'));
    }
    const person = await this.directory.person(id);
    if (!person) throw new ProblemException(problems.notFound(`No person ${id}.`));
    return person;
  }
}

@ApiTags('task types')
@Controller('task-types')
export class TaskTypesController {
  constructor(@InjectTaskTypes() private readonly taskTypes: TaskTypesPort) {}

  @Get()
  @ApiOperation({ summary: 'The catalogue of leadership task types' })
  async list() {
    return { items: await this.taskTypes.list.execute() };
  }

  @Put(':key')
  @RequireRoles(ROLES.admin)
  @ApiOperation({ summary: 'Define or change a task type (admin; audited as events)' })
  @ApiBody({ schema: openApiSchema(taskTypeBody) })
  async put(@Param('key') key: string, @ZodBody(taskTypeBody) body: z.infer<typeof taskTypeBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const parsed = taskTypeKey.safeParse(key);
    if (!parsed.success) throw new ProblemException(problems.validation([{ path: 'key', message: parsed.error.issues[0]?.message ?? 'invalid' }]));
    const result = await this.taskTypes.put.execute({ key, ...body }, commandContext(actor, req));
    res.setHeader('ETag', etag(result.version));
    return { ...result.definition, version: result.version, changed: result.changed };
  }
}

@ApiTags('task-types')
@Controller('framework-checks')
export class FrameworkChecksController {
  constructor(@InjectTaskTypes() private readonly taskTypes: TaskTypesPort) {}

  @Get()
  @ApiOperation({
    summary: 'The machine-checkable framework rules mandates may carry',
    description: 'Each kind is published by the context that checks delegated actions against it (e.g. `cases.*` by case distribution); a rule\'s `check` must use one of these kinds with params matching its JSON Schema, or propose/amend answer 422 `mandate.invalid-framework-check`.',
  })
  list() {
    return { items: this.taskTypes.frameworkChecks() };
  }
}

@ApiTags('units')
@Controller('units')
export class UnitsController {
  constructor(@InjectLeadership() private readonly leadership: LeadershipPort) {}

  @Get(':id/leadership-map')
  @ApiOperation({ summary: 'Who holds which task in the unit (now or at `at`), gaps, overlaps, mandates due for review or expiry; for its members, formal managers of it or above, coordinators there, compliance and system callers' })
  async leadershipMap(@Param('id') id: string, @ZodQuery(atQuery) query: z.infer<typeof atQuery>, @CurrentActor() actor: Actor) {
    await this.leadership.assertMayViewUnit(actor, id);
    const { at, map } = await this.leadership.leadershipMap(id, query.at);
    if (!map) throw new ProblemException(problems.notFound(`No unit ${id} at ${at}.`));
    return map;
  }
}

/** Streams of the directory, for the audit export filter. */
export const DIRECTORY_CATEGORIES = [UNIT_STREAM_CATEGORY, PERSON_STREAM_CATEGORY] as const;
