import { grantWhileFresh, type AuthorityProjection } from '@leadership/authority';
import { MissingAuthorityError, type Authorised, type CaseAuthority, type CaseAuthorityName, type CaseScope } from '@leadership/case-distribution-application';
import { caseFrameworkCheckSchema } from '@leadership/case-distribution-contracts';
import type { FrameworkRuleCheck } from '@leadership/case-distribution-domain';

/**
 * The case use cases' authority check over the service's own projection of the mandates
 * (`libs/authority`): `may` answers from memory with the one evaluator; a grant becomes the
 * decision's stamp, and a mandate's machine-checkable framework rules of this context's kinds
 * (`cases.*`) come with it. Rules of kinds this context does not know are not its to check.
 */
export class ProjectionCaseAuthority implements CaseAuthority {
  constructor(private readonly projection: AuthorityProjection) {}

  authorise(actorId: string, authority: CaseAuthorityName, scope: CaseScope): Authorised {
    // mayFresh: a grant only while the projection is within its freshness bound (else AuthorityStaleError → 503); a refusal always.
    const decision = grantWhileFresh(() => this.projection.mayFresh({ personId: actorId, authority, unitId: scope.unitId, queueId: scope.queueId }));
    if (!decision.allowed) throw new MissingAuthorityError(actorId, authority, scope, decision.reason, decision.mandateId ?? null, decision.mandateVersion ?? null);
    if (decision.basis === 'mandate' && decision.mandateId) {
      const version = decision.mandateVersion ?? null;
      return { stamp: { basis: 'mandate', mandateId: decision.mandateId, mandateVersion: version, actorId }, rules: this.rulesOf(decision.mandateId) };
    }
    return { stamp: { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId }, rules: [] };
  }

  private rulesOf(mandateId: string): FrameworkRuleCheck[] {
    const mandate = this.projection.mandate(mandateId)?.mandate;
    if (!mandate) return [];
    return mandate.framework.rules.flatMap((rule) => {
      const parsed = rule.check ? caseFrameworkCheckSchema.safeParse(rule.check) : undefined;
      return parsed?.success ? [{ ...parsed.data, mode: rule.mode, ruleId: rule.id } as FrameworkRuleCheck] : [];
    });
  }
}
