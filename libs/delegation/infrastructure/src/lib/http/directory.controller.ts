import { Controller, Get, HttpCode, Logger, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { CurrentActor, ProblemException, problems, RequireRoles, ROLES, ZodBody, type Actor, commandContext, etag, expectedVersion, ZodQuery, ZodValidationPipe, openApiSchema } from '@leadership/platform-nest';
import { PERSON_STREAM_CATEGORY, UNIT_STREAM_CATEGORY } from '@leadership/delegation-domain';
import { InjectDirectory, InjectLeadership, InjectTaskTypes, type DirectoryPort, type LeadershipPort, type TaskTypesPort } from './delegation-http.ports';
import { NDJSON_MEDIA_TYPE, spoolDirectoryImport, streamImportOutcomes } from './directory-import.ndjson';
import { absencesBody, atQuery, importBody, importLine, personBody, taskTypeBody, taskTypeKey, unitBody } from './schemas';

@ApiTags('directory')
@Controller('directory')
export class DirectoryController {
  private readonly logger = new Logger('DirectoryImport');

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
  @ApiOperation({ summary: 'Register or update a person (HR); 201 when created, 200 otherwise; `skills` left out are kept' })
  @ApiBody({ schema: openApiSchema(personBody) })
  async putPerson(@Param('id') id: string, @ZodBody(personBody) body: z.infer<typeof personBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.directory.commands.upsertPerson.execute({ id, ...body }, commandContext(actor, req));
    res.status(result.outcome === 'created' ? 201 : 200).setHeader('ETag', etag(result.version));
    return { id, ...body, version: result.version, outcome: result.outcome };
  }

  @Post('import')
  @HttpCode(200)
  @RequireRoles(ROLES.admin, ROLES.directorySync)
  @ApiOperation({
    summary: 'Bulk import units and people; reports created / updated / unchanged / rejected per row',
    description:
      '`application/json`: `{units?, people?}` (at most 10 MB), answered with `{summary, units, people}`. `application/x-ndjson`: one row a line, ' +
      '`{"kind":"unit",…}` or `{"kind":"person",…}` (same fields as the JSON rows), read as a stream (at most 256 MiB, 64 KiB a line, 20,000 units, ' +
      '1,000,000 people); any invalid line refuses the whole body with 400 naming the lines, nothing applied; otherwise answered as NDJSON, a line per row ' +
      '(`{line, kind, id, outcome, reason?, changes?}`) as it is applied, then `{summary}` — or `{error}` if it stopped (send the file again: it is idempotent). ' +
      'Compressed bodies are refused (415).',
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: openApiSchema(importBody) },
        [NDJSON_MEDIA_TYPE]: { schema: { ...openApiSchema(importLine), description: 'One such object a line (the schema of each line).' } },
      },
    },
  })
  @ApiProduces('application/json', NDJSON_MEDIA_TYPE)
  async import(@CurrentActor() actor: Actor, @Req() req: Request) {
    const [mediaType = '', ...parameters] = (req.headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
    if (mediaType === NDJSON_MEDIA_TYPE) {
      const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
      if (charset !== undefined && charset !== 'utf-8') throw new ProblemException(problems.unsupportedMediaType(`charset "${charset.slice(0, 40)}" is not accepted: send the file as UTF-8.`));
      if (req.headers['idempotency-key'] !== undefined) {
        throw new ProblemException(problems.validation([{ path: 'Idempotency-Key', message: 'not taken by an NDJSON import' }], 'An NDJSON import is idempotent by its content (rows already applied come back unchanged): send it again without Idempotency-Key.'));
      }
      // Read only now: the caller was authenticated and authorised before a byte of the body.
      const spool = await spoolDirectoryImport(req);
      const context = commandContext(actor, req);
      return streamImportOutcomes(spool, (options) => this.directory.commands.importStream.execute({ source: spool, ...options }, context), this.logger);
    }
    if (mediaType !== 'application/json' && !/^application\/[^/]+\+json$/.test(mediaType)) {
      throw new ProblemException(problems.unsupportedMediaType(`Content-Type "${mediaType.slice(0, 60)}" is not accepted here: send application/json (at most 10 MB) or ${NDJSON_MEDIA_TYPE} (large imports).`));
    }
    const body = new ZodValidationPipe(importBody).transform(req.body);
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
  @ApiOperation({ summary: 'A person (personal data: the person, admin, system, directory-sync and compliance callers): HR fields, skills, absence periods; ETag = version' })
  async person(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    // Names and e-mail addresses are personal data: the person, HR systems, admins and compliance only.
    if (actor.personId !== id && ![ROLES.admin, ROLES.system, ROLES.directorySync, ROLES.compliance].some((r) => actor.roles.includes(r))) {
      throw new ProblemException(problems.forbidden('Only the person, admins, HR and other systems, and compliance may read a person record.'));
    }
    const found = await this.directory.versionedPerson(id);
    if (!found) throw new ProblemException(problems.notFound(`No person ${id}.`));
    res.setHeader('ETag', etag(found.revision));
    return { ...found.value, version: found.revision };
  }

  @Get('people/:id/absences')
  @ApiOperation({ summary: "A person's absence periods: for the person, formal managers of a unit they belong to (or above it), directory-sync, admin, system and compliance callers; ETag = the person's version" })
  async absences(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const { value, revision } = await this.directory.personForAbsences(actor, id, 'read');
    res.setHeader('ETag', etag(revision));
    return { personId: id, version: revision, absences: value.absences };
  }

  @Put('people/:id/absences')
  @ApiOperation({
    summary: "Replace a person's absence periods: the person themself, formal managers of a unit they belong to (or above it), directory-sync, admin",
    description:
      'The whole list after the change (an empty list clears it), periods `[from, to)` as instants with an offset, at most 200, no reason. A period without `absenceId` gets one derived from its times. ' +
      "Optional `If-Match` with the person's ETag: another version is 409. Published on the directory topic in `PersonChanged.absences` (periods only).",
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the person version the change is based on, e.g. "3"; without it the last writer wins' })
  @ApiBody({ schema: openApiSchema(absencesBody) })
  async putAbsences(@Param('id') id: string, @ZodBody(absencesBody) body: z.infer<typeof absencesBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await this.directory.personForAbsences(actor, id, 'write');
    const ifMatch = req.headers['if-match'] === undefined ? {} : { expectedVersion: expectedVersion(req, "the person's absences you read (GET /directory/people/{id}/absences)") };
    const result = await this.directory.commands.setAbsences.execute({ personId: id, absences: body.absences, ...ifMatch }, commandContext(actor, req));
    res.setHeader('ETag', etag(result.version));
    return result;
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
