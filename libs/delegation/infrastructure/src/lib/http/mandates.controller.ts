import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CurrentActor, ProblemException, problems, ROLES, ZodBody, type Actor, commandContext, etag, expectedVersion, ZodQuery, openApiSchema } from '@leadership/platform-nest';
import { type MandateCommandResult } from '@leadership/delegation-application';
import { deterministicId } from '@leadership/kernel';
import { toMandateSnapshot } from '../read-model/mandate-snapshot.mapper';
import { InjectMandates, type MandatesPort } from './delegation-http.ports';
import {
  amendBody,
  checkInBody,
  completeBody,
  emptyBody,
  extendBody,
  mandateListQuery,
  proposeBody,
  reasonBody,
} from './schemas';

const ifMatch = ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the mandate version the command is based on, e.g. "2"' });
const idempotencyKey = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first response' });

/** The mandate resource: terms and state, without free-text reasons of declines and revocations. */
function present(result: { mandateId: string; version: number; mandate: MandateCommandResult['mandate'] }) {
  const m = result.mandate;
  return { version: result.version, direction: m.direction, basis: m.basis, proposedAt: m.proposedAt, ...toMandateSnapshot(m) };
}

@ApiTags('mandates')
@Controller('mandates')
export class MandatesController {
  constructor(@InjectMandates() private readonly mandates: MandatesPort) {}

  private respond(res: Response, result: MandateCommandResult) {
    res.setHeader('ETag', etag(result.version));
    return present(result);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Propose a mandate (the caller is the delegator and must be a formal manager of the scope unit)' })
  @ApiBody({ schema: openApiSchema(proposeBody) })
  @idempotencyKey
  async propose(@ZodBody(proposeBody) body: z.infer<typeof proposeBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const context = commandContext(actor, req);
    // With an Idempotency-Key the id is derived from it, so a retry finds the same mandate.
    const mandateId = context.idempotencyKey ? deterministicId('mandate', context.idempotencyKey) : randomUUID();
    const result = await this.mandates.commands.propose.execute({ ...body, mandateId }, context);
    res.setHeader('Location', `/mandates/${mandateId}`);
    return this.respond(res, result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A mandate, read from its event stream (always current); ETag = version' })
  async get(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const { value, revision } = await this.mandates.mandate(id);
    if (value.status === 'none') throw new ProblemException(problems.notFound(`No mandate ${id}.`));
    const privileged = actor.roles.includes(ROLES.compliance) || actor.roles.includes(ROLES.admin);
    const party = [value.delegateId, value.delegatorId, value.deputyId].includes(actor.personId);
    if (!privileged && !party && !(await this.mandates.managesUnit(actor.personId, value.scope.unitId))) {
      throw new ProblemException(problems.forbidden('Only the parties of a mandate, formal managers of its unit and compliance may read it.'));
    }
    res.setHeader('ETag', etag(revision));
    return present({ mandateId: id, version: revision, mandate: value });
  }

  @Get()
  @ApiOperation({
    summary: 'Mandates by unit, delegate, delegator, status, task type (paged, from the read model)',
    description: 'Admins and compliance see all; others must filter by themselves as delegate or delegator, or by a unit they manage.',
  })
  async list(@ZodQuery(mandateListQuery) query: z.infer<typeof mandateListQuery>, @CurrentActor() actor: Actor) {
    const privileged = actor.roles.includes(ROLES.compliance) || actor.roles.includes(ROLES.admin);
    const own = query.delegateId === actor.personId || query.delegatorId === actor.personId;
    if (!privileged && !own && !(query.unitId && (await this.mandates.managesUnit(actor.personId, query.unitId)))) {
      throw new ProblemException(
        problems.forbidden('List your own mandates (delegateId or delegatorId = you) or those of a unit you manage (unitId).'),
      );
    }
    return this.mandates.list(query);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  @ApiBody({ required: false, schema: openApiSchema(z.strictObject({})) })
  async accept(@Param('id') id: string, @ZodBody(emptyBody) _body: unknown, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.accept.execute({ mandateId: id, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  @ApiBody({ schema: openApiSchema(reasonBody) })
  async decline(@Param('id') id: string, @ZodBody(reasonBody) body: z.infer<typeof reasonBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.decline.execute({ mandateId: id, reason: body.reason, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/amend')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  @ApiBody({ schema: openApiSchema(amendBody) })
  async amend(@Param('id') id: string, @ZodBody(amendBody) body: z.infer<typeof amendBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.amend.execute({ mandateId: id, changes: body, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/extend')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  @ApiBody({ schema: openApiSchema(extendBody) })
  async extend(@Param('id') id: string, @ZodBody(extendBody) body: z.infer<typeof extendBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.extend.execute({ mandateId: id, until: body.until, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  @ApiBody({ schema: openApiSchema(reasonBody) })
  async suspend(@Param('id') id: string, @ZodBody(reasonBody) body: z.infer<typeof reasonBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.suspend.execute({ mandateId: id, reason: body.reason, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  async resume(@Param('id') id: string, @ZodBody(emptyBody) _body: unknown, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.resume.execute({ mandateId: id, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  @ApiBody({ schema: openApiSchema(reasonBody) })
  async revoke(@Param('id') id: string, @ZodBody(reasonBody) body: z.infer<typeof reasonBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.revoke.execute({ mandateId: id, reason: body.reason, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/relinquish')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  @ApiBody({ schema: openApiSchema(reasonBody) })
  async relinquish(@Param('id') id: string, @ZodBody(reasonBody) body: z.infer<typeof reasonBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.relinquish.execute({ mandateId: id, reason: body.reason, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  async complete(@Param('id') id: string, @ZodBody(completeBody) body: z.infer<typeof completeBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.complete.execute({ mandateId: id, ...(body?.note !== undefined ? { note: body.note } : {}), expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ifMatch
  @idempotencyKey
  @ApiOperation({ summary: 'A formal manager confirms a mandate flagged for reconfirmation and becomes its delegator' })
  async confirm(@Param('id') id: string, @ZodBody(emptyBody) _body: unknown, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.confirm.execute({ mandateId: id, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }

  @Post(':id/check-ins')
  @HttpCode(201)
  @ifMatch
  @idempotencyKey
  @ApiBody({ schema: openApiSchema(checkInBody) })
  async checkIn(@Param('id') id: string, @ZodBody(checkInBody) body: z.infer<typeof checkInBody>, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.mandates.commands.checkIn.execute({ mandateId: id, note: body.note, expectedVersion: expectedVersion(req, 'the mandate you read (GET /mandates/{id})') }, commandContext(actor, req)));
  }
}
