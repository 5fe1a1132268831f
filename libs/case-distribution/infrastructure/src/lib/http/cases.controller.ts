import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import {
  AssignCaseHandler,
  loadCase,
  PrioritiseCaseHandler,
  RegisterCaseHandler,
  ResolveCaseHandler,
  RespondToOfferHandler,
  type CaseAuthority,
  type CaseCommandResult,
} from '@leadership/case-distribution-application';
import type { ExistingCase } from '@leadership/case-distribution-domain';
import type { EventStore } from '@leadership/event-store';
import { deterministicId } from '@leadership/kernel';
import { ApiQueryFrom, commandContext, CurrentActor, etag, openApiSchema, ProblemException, problems, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { CaseReadModel } from '../read-model/case.read-model';
import { InjectCaseAuthority, InjectRoutingBoard, mayManageQueue, mayReadCase, readsEverything, type RoutingBoard } from './case-distribution.ports';
import { assignCaseBody, caseIdParam, caseListQuery, declineOfferBody, prioritiseCaseBody, registerCaseBody, resolveCaseBody } from './case.schemas';

/** The service's event store (GET /cases/{id} answers from the case's stream: never stale). */
export const CASE_EVENT_STORE = Symbol('CaseEventStore');

const idempotencyKey = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first response' });
const ifMatch = ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the case version the decision is based on, e.g. "3"; a newer case answers 409' });

/** The case resource: state, the decisions with their stamps, and its version. */
export function presentCase(state: ExistingCase, version: number) {
  return {
    caseId: state.caseId,
    version,
    queueId: state.queueId,
    unitId: state.unitId,
    status: state.status,
    title: state.title,
    description: state.description,
    priority: state.priority,
    channel: state.channel,
    externalRef: state.externalRef,
    receivedAt: state.receivedAt,
    offeredTo: state.offer?.agentId ?? null,
    offerExpiresAt: state.offer?.expiresAt ?? null,
    assigneeId: state.assigneeId,
    firstResponseAt: state.firstResponseAt,
    resolvedAt: state.resolvedAt,
    slaAtRisk: state.slaAtRisk,
    slaBreached: state.slaBreached,
    decisions: state.decisions,
    frameworkWarnings: state.frameworkWarnings,
  };
}

const present = (result: CaseCommandResult) => presentCase(result.case, result.version);

/** If-Match as a number, when given (`"3"` or `3`); malformed → 400. */
function ifMatchVersion(req: Request): number | undefined {
  const header = req.header('if-match');
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) throw new ProblemException(problems.validation([{ path: 'If-Match', message: 'an ETag of this API, e.g. "3"' }]));
  return Number(match[1]);
}

/**
 * The cases API. Commands go through the use cases (event store, decider, authority check,
 * stamp); `GET /cases/{id}` reads the case's stream (fresh), lists come from the read model.
 * Every route needs a bearer token; errors are problem+json (403 names the missing authority).
 */
@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly registerCase: RegisterCaseHandler,
    private readonly respond: RespondToOfferHandler,
    private readonly assignment: AssignCaseHandler,
    private readonly prioritiseCase: PrioritiseCaseHandler,
    private readonly resolveCase: ResolveCaseHandler,
    private readonly readModel: CaseReadModel,
    @InjectCaseAuthority() private readonly authority: CaseAuthority,
    @Inject(CASE_EVENT_STORE) private readonly store: EventStore,
    @InjectRoutingBoard() private readonly board: RoutingBoard,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a case (client apps; use Idempotency-Key). It is routed at once.' })
  @ApiBody({ schema: openApiSchema(registerCaseBody) })
  @idempotencyKey
  async register(@ZodBody(registerCaseBody) body: z.infer<typeof registerCaseBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const context = commandContext(actor, req);
    // With an Idempotency-Key the id is derived from it (and the caller), so a retry finds the same case.
    const caseId = context.idempotencyKey ? deterministicId('case', actor.personId, context.idempotencyKey) : randomUUID();
    const result = await this.registerCase.execute({ caseId, ...body }, context);
    res.setHeader('Location', `/cases/${caseId}`);
    res.setHeader('ETag', etag(result.version));
    return present(result);
  }

  @Get()
  @ApiOperation({ summary: 'Cases, newest first (read model): of a queue you manage, or assigned to you; compliance, admin and system see all' })
  @ApiQueryFrom(caseListQuery)
  async list(@Query(new ZodValidationPipe(caseListQuery, 'query')) query: z.infer<typeof caseListQuery>, @CurrentActor() actor: Actor) {
    const own = query.assigneeId === actor.personId;
    if (!readsEverything(actor) && !own) {
      const unitId = query.queueId ? await this.unitOfQueue(query.queueId) : undefined;
      if (!query.queueId || !unitId || !mayManageQueue(this.authority, actor, { unitId, queueId: query.queueId })) {
        throw new ProblemException(problems.forbidden('Lists need a queueId you may assign in (cases.assign, or formal manager of its unit), or assigneeId set to yourself.', { authority: 'cases.assign', queueId: query.queueId ?? null }));
      }
    }
    return { items: await this.readModel.list(query) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A case from its stream: state, decisions with their stamps; ETag = version' })
  async get(@Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const { state, version } = await loadCase(this.store, id);
    this.assertMayRead(actor, state);
    res.setHeader('ETag', etag(version));
    return presentCase(state, version);
  }

  @Get(':id/routing')
  @ApiOperation({ summary: 'Why the case went where it went: every automatic decision with the candidates considered, their scores and the rule that picked one' })
  async routing(@Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string, @CurrentActor() actor: Actor) {
    const { state, version } = await loadCase(this.store, id);
    this.assertMayRead(actor, state);
    return { caseId: id, version, items: state.routing };
  }

  @Post(':id/offer/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'The offered agent takes the case' })
  async accept(@Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.answer(res, await this.respond.accept(id, commandContext(actor, req)));
  }

  @Post(':id/offer/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'The offered agent passes the case on (with a reason); it goes back with its age' })
  @ApiBody({ schema: openApiSchema(declineOfferBody) })
  async decline(@Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string, @ZodBody(declineOfferBody) body: z.infer<typeof declineOfferBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.answer(res, await this.respond.decline({ caseId: id, reason: body.reason }, commandContext(actor, req)));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign by hand (cases.assign for the queue, or formal manager); over capacity only with overCapacity and a reason' })
  @ApiBody({ schema: openApiSchema(assignCaseBody) })
  @ifMatch
  @idempotencyKey
  async assign(@Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string, @ZodBody(assignCaseBody) body: z.infer<typeof assignCaseBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.answer(res, await this.assignment.assign({ caseId: id, ...body, ...this.version(req) }, commandContext(actor, req)));
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move an assigned case to someone else (cases.reassign, or formal manager)' })
  @ApiBody({ schema: openApiSchema(assignCaseBody) })
  @ifMatch
  @idempotencyKey
  async reassign(@Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string, @ZodBody(assignCaseBody) body: z.infer<typeof assignCaseBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.answer(res, await this.assignment.reassign({ caseId: id, ...body, ...this.version(req) }, commandContext(actor, req)));
  }

  @Post(':id/prioritise')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change the priority (cases.prioritise, or formal manager), with a reason' })
  @ApiBody({ schema: openApiSchema(prioritiseCaseBody) })
  @ifMatch
  @idempotencyKey
  async prioritise(@Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string, @ZodBody(prioritiseCaseBody) body: z.infer<typeof prioritiseCaseBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.answer(res, await this.prioritiseCase.execute({ caseId: id, ...body, ...this.version(req) }, commandContext(actor, req)));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve: the assignee, or someone with cases.assign for the queue' })
  @ApiBody({ schema: openApiSchema(resolveCaseBody) })
  @ifMatch
  @idempotencyKey
  async resolve(@Param('id', new ZodValidationPipe(caseIdParam, 'params')) id: string, @ZodBody(resolveCaseBody) body: z.infer<typeof resolveCaseBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const input = { caseId: id, ...this.version(req), ...(body.resolution !== undefined ? { resolution: body.resolution } : {}) };
    return this.answer(res, await this.resolveCase.execute(input, commandContext(actor, req)));
  }

  private answer(res: Response, result: CaseCommandResult) {
    res.setHeader('ETag', etag(result.version));
    return present(result);
  }

  private version(req: Request): { expectedVersion?: number } {
    const version = ifMatchVersion(req);
    return version === undefined ? {} : { expectedVersion: version };
  }

  private assertMayRead(actor: Actor, state: ExistingCase): void {
    if (!mayReadCase(this.authority, actor, state)) {
      throw new ProblemException(problems.forbidden(`Case ${state.caseId} is visible to its assignee, whoever may assign in queue ${state.queueId} (cases.assign or formal manager of unit ${state.unitId}), and compliance.`, { authority: 'cases.assign', unitId: state.unitId, queueId: state.queueId }));
    }
  }

  private async unitOfQueue(queueId: string): Promise<string | undefined> {
    await this.board.catchUp();
    return this.board.queue(queueId)?.config.unitId;
  }
}
