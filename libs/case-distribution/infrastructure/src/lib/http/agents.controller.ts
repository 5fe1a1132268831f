import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { z } from 'zod';
import { AgentAvailabilityHandler, type AgentCommandResult } from '@leadership/case-distribution-application';
import { commandContext, CurrentActor, openApiSchema, ProblemException, problems, ROLES, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { absenceBody, personIdParam, presenceBody } from './case.schemas';

function presentAgent(personId: string, result: AgentCommandResult) {
  const agent = result.agent.status === 'known' ? result.agent : undefined;
  return { personId, version: result.version, presence: agent?.presence ?? 'offline', presenceReason: agent?.presenceReason ?? null, absences: agent?.absences ?? [], events: result.events };
}

/** Only the person themself sets their presence; absences also come from HR systems (`system`) and admins. */
function assertSelf(actor: Actor, personId: string, what: string, alsoRoles: readonly string[] = []): void {
  if (actor.personId === personId || actor.roles.some((role) => alsoRoles.includes(role))) return;
  throw new ProblemException(problems.forbidden(`Only ${personId} ${alsoRoles.length > 0 ? `(or ${alsoRoles.join(', ')})` : ''} may ${what}.`.replace('  ', ' ')));
}

@ApiTags('agents')
@Controller('agents')
export class AgentsController {
  constructor(private readonly availability: AgentAvailabilityHandler) {}

  @Put(':personId/presence')
  @ApiOperation({ summary: 'Set your presence (available, away, offline); only available agents get offers' })
  @ApiBody({ schema: openApiSchema(presenceBody) })
  async presence(@Param('personId', new ZodValidationPipe(personIdParam, 'params')) personId: string, @ZodBody(presenceBody) body: z.infer<typeof presenceBody>, @CurrentActor() actor: Actor, @Req() req: Request) {
    assertSelf(actor, personId, 'set their presence');
    return presentAgent(personId, await this.availability.setPresence(personId, body.status, commandContext(actor, req)));
  }

  @Post(':personId/absences')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record an absence [from, to): no offers during it; after a day or more away, capacity ramps up again' })
  @ApiBody({ schema: openApiSchema(absenceBody) })
  async absence(@Param('personId', new ZodValidationPipe(personIdParam, 'params')) personId: string, @ZodBody(absenceBody) body: z.infer<typeof absenceBody>, @CurrentActor() actor: Actor, @Req() req: Request) {
    assertSelf(actor, personId, 'record their absences', [ROLES.system, ROLES.admin]);
    const absence = { absenceId: body.absenceId ?? randomUUID(), from: new Date(body.from).toISOString(), to: new Date(body.to).toISOString() };
    return presentAgent(personId, await this.availability.recordAbsence(personId, absence, commandContext(actor, req)));
  }
}
