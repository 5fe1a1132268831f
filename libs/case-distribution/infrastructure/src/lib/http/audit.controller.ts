import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { ApiQueryFrom, RequireRoles, ROLES, ZodValidationPipe } from '@leadership/platform-nest';
import { CaseReadModel, type DecisionDocument } from '../read-model/case.read-model';
import { InjectAuthorityProjection, type AuthorityProjection } from './case-distribution.ports';
import { decisionsQuery } from './case.schemas';

/**
 * Compliance: every leadership decision on cases with the stamp it was taken on, re-checked
 * against the mandates as they are known now, as of the decision's time. A decision the as-of
 * answer does not back (taken while the projection lagged behind a revocation, or while a
 * suspension was in flight) is `outsideMandate: true`, with the answer's reason. Routing-policy
 * decisions need no authority and are never outside.
 */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly readModel: CaseReadModel,
    @InjectAuthorityProjection() private readonly authority: AuthorityProjection,
  ) {}

  @Get('decisions')
  @RequireRoles(ROLES.compliance)
  @ApiOperation({ summary: 'Decisions on cases with their stamps, and whether the mandates in force at the time back them (compliance)' })
  @ApiQueryFrom(decisionsQuery)
  async decisions(@Query(new ZodValidationPipe(decisionsQuery, 'query')) query: z.infer<typeof decisionsQuery>) {
    const decisions = await this.readModel.decisionsBetween({ ...(query.unitId ? { unitId: query.unitId } : {}), ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) });
    const checked = decisions.map((decision) => this.recheck(decision));
    const items = query.outsideMandate === undefined ? checked : checked.filter((item) => item.outsideMandate === (query.outsideMandate === 'true'));
    return { items };
  }

  private recheck(decision: DecisionDocument) {
    const { _id, ...rest } = decision;
    if (decision.authority === null) return { decisionId: _id, ...rest, outsideMandate: false, asOf: null };
    const answer = this.authority.may({ personId: decision.actorId, authority: decision.authority, unitId: decision.unitId, queueId: decision.queueId, at: decision.at });
    return {
      decisionId: _id,
      ...rest,
      outsideMandate: !answer.allowed,
      asOf: { allowed: answer.allowed, basis: answer.basis, mandateId: answer.mandateId, mandateVersion: answer.mandateVersion, reason: answer.reason },
    };
  }
}
