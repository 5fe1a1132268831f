import { grantWhileFresh, type AuthorityProjection } from '@leadership/authority';
import { MissingAuthorityError, type OnboardingAuthority, type OnboardingAuthorityName, type RoleHolder } from '@leadership/onboarding-application';
import type { DecisionStamp, RoleAddress } from '@leadership/onboarding-domain';

type Snapshot = NonNullable<ReturnType<AuthorityProjection['mandate']>>['mandate'];

/** In force at `at`: active, inside its period, not in a suspension window. */
function inForce(mandate: Snapshot, at: string): boolean {
  const moment = Date.parse(at);
  if (mandate.status !== 'active') return false;
  if (!(Date.parse(mandate.period.from) <= moment && moment < Date.parse(mandate.period.until))) return false;
  return !mandate.suspensions.some((s) => Date.parse(s.from) <= moment && (s.until === null || moment < Date.parse(s.until)));
}

/**
 * The onboarding use cases' authority check and role resolution over the service's own projection
 * of the mandates (`libs/authority`): `mayFresh` answers from memory with the one evaluator; a grant
 * becomes the decision's stamp (mandate id and version, or formal manager); a projection further
 * behind than its bound answers 503 with Retry-After rather than grant on stale state.
 */
export class ProjectionOnboardingAuthority implements OnboardingAuthority {
  constructor(private readonly projection: AuthorityProjection) {}

  authorise(actorId: string, authority: OnboardingAuthorityName, unitId: string): DecisionStamp {
    const decision = grantWhileFresh(() => this.projection.mayFresh({ personId: actorId, authority, unitId }));
    if (!decision.allowed) throw new MissingAuthorityError(actorId, authority, unitId, decision.reason, decision.mandateId ?? null, decision.mandateVersion ?? null);
    if (decision.basis === 'mandate' && decision.mandateId) return { basis: 'mandate', mandateId: decision.mandateId, mandateVersion: decision.mandateVersion ?? 0, actorId };
    return { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId };
  }

  holds(personId: string, authority: OnboardingAuthorityName, unitId: string): boolean {
    return this.projection.may({ personId, authority, unitId }).allowed;
  }

  /** The holder of the task in the unit: a mandate in force now; with two (an overlap), the one activated last; with the deputy it names. */
  roleHolder(role: RoleAddress, at: string): RoleHolder | null {
    const holders = this.projection
      .mandatesOfTaskType(role.unitId, role.taskType)
      .filter(({ mandate }) => inForce(mandate, at))
      .sort((a, b) => (b.mandate.activatedAt ?? '').localeCompare(a.mandate.activatedAt ?? '') || a.mandate.mandateId.localeCompare(b.mandate.mandateId));
    const holder = holders[0];
    return holder ? { personId: holder.mandate.delegateId, mandateId: holder.mandate.mandateId, mandateVersion: holder.version, deputyId: holder.mandate.deputyId } : null;
  }

  formalManagerOf(unitId: string): string | undefined {
    return this.projection.unit(unitId)?.managerIds[0];
  }
}
