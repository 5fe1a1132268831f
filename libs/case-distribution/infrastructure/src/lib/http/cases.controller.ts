import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { RegisterCaseHandler, ResolveCaseHandler, type CaseCommandResult } from '@leadership/case-distribution-application';
import { deterministicId } from '@leadership/kernel';
import { commandContext, CurrentActor, etag, expectedVersion, openApiSchema, ProblemException, problems, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { CaseReadModel } from '../read-model/case.read-model';
import { caseIdParam, caseListQuery, registerCaseBody, resolveCaseBody } from './case.schemas';

const idempotencyKey = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first response' });
const ifMatch = ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the case version the command is based on, e.g. "0"' });

/** The case resource as a command answers it (the state it left, its version). */
function present(result: CaseCommandResult) {
  const { status, queueId, title, priority, receivedAt, registeredBy, assigneeId, resolvedAt, decisions } = result.case;
  const offeredTo = result.case.offer?.agentId ?? null;
  return { caseId: result.caseId, version: result.version, status, queueId, title, priority, receivedAt, registeredBy, offeredTo, assigneeId, resolvedAt, decisions };
}

/**
 * The cases API: commands go through the use cases (event store, decider), reads come from
 * the read model (eventually consistent, a few milliseconds behind). Every route needs a bearer
 * token (the platform's global guard); errors are problem+json.
 */
@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly registerCase: RegisterCaseHandler,
    private readonly resolveCase: ResolveCaseHandler,
    private readonly readModel: CaseReadModel,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a case' })
  @ApiBody({ schema: openApiSchema(registerCaseBody) })
  @idempotencyKey
  async register(
    @ZodBody(registerCaseBody) body: z.infer<typeof registerCaseBody>,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const context = commandContext(actor, req);
    // With an Idempotency-Key the id is derived from it, so a retry finds the same case.
    const caseId = context.idempotencyKey ? deterministicId('case', context.idempotencyKey) : randomUUID();
    const result = await this.registerCase.execute({ caseId, ...body }, context);
    res.setHeader('Location', `/cases/${caseId}`);
    res.setHeader('ETag', etag(result.version));
    return present(result);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve an assigned case (If-Match: the version you read)' })
  @ApiBody({ schema: openApiSchema(resolveCaseBody) })
  @ifMatch
  @idempotencyKey
  async resolve(
    @Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string,
    @ZodBody(resolveCaseBody) body: z.infer<typeof resolveCaseBody>,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = { caseId: id, expectedVersion: expectedVersion(req, 'the case you read'), ...(body.resolution !== undefined ? { resolution: body.resolution } : {}) };
    const result = await this.resolveCase.execute(input, commandContext(actor, req));
    res.setHeader('ETag', etag(result.version));
    return present(result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A case from the read model; ETag = version' })
  async get(@Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string, @Res({ passthrough: true }) res: Response) {
    const found = await this.readModel.find(id);
    if (!found) throw new ProblemException(problems.notFound(`No case ${id} (a case registered a moment ago may take a few milliseconds to appear).`));
    res.setHeader('ETag', etag(found.version));
    return found;
  }

  @Get()
  @ApiOperation({ summary: 'Cases, newest first, optionally by status (from the read model)' })
  async list(@Query(new ZodValidationPipe(caseListQuery, 'query')) query: z.infer<typeof caseListQuery>) {
    return { items: await this.readModel.list(query) };
  }
}
