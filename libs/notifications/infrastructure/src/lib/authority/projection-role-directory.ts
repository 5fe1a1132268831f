import { AuthorityProjectionNotReadyError, AuthorityStaleError, grantWhileFresh, type AuthorityProjection } from '@leadership/authority';
import { RolesNotFreshError, type RoleDirectory, type RoleFreshness } from '@leadership/notifications-application';
import type { RoleFacts, RoleMandate } from '@leadership/notifications-domain';

type Snapshot = NonNullable<ReturnType<AuthorityProjection['mandate']>>['mandate'];

/** A mandate's standing at `at` as role resolution needs it: in force, suspended, or addressing nobody. */
function statusAt(mandate: Snapshot, at: string): RoleMandate['status'] {
  const moment = Date.parse(at);
  const inPeriod = Date.parse(mandate.period.from) <= moment && moment < Date.parse(mandate.period.until);
  if (!inPeriod) return 'ended';
  if (mandate.status === 'suspended') return 'suspended';
  return mandate.status === 'active' ? 'active' : 'ended';
}

/** Who is away when (the directory projection's absences, from `PersonChanged`). */
export interface AbsenceSource {
  absentAmong(personIds: readonly string[], at: string): readonly string[];
}

/**
 * Role addresses resolved from the service's own projection of the mandates (libs/authority): the
 * mandates of the task type in the unit as they stand now, the holders and deputies who are away
 * at that moment (the directory's absence periods), and the unit's formal managers.
 *
 * Only from a projection known fresh (the authority freshness rule, `assertFresh`): a role resolved
 * from a stale one could reach a holder whose mandate was revoked meanwhile (during a Kafka outage,
 * say). Every resolution is checked — at the request, at send time, at a digest's release — and
 * refused with the one 503 of `grantWhileFresh`: `POST /notifications` answers it, the dispatcher
 * leaves the work for a later pass. Whatever the role resolves to (holder, deputy or the formal
 * managers: the unit's managers change on the same topics) is such an answer.
 */
export class ProjectionRoleDirectory implements RoleDirectory, RoleFreshness {
  constructor(
    private readonly projection: AuthorityProjection,
    private readonly unitNames: (unitId: string) => Promise<string | undefined>,
    private readonly absences: AbsenceSource = { absentAmong: () => [] },
  ) {}

  assertFresh(): void {
    grantWhileFresh(() => this.projection.assertFresh(), 'Role addresses are resolved from the mandates in force');
  }

  roleFacts(taskType: string, unitId: string, at: string): RoleFacts {
    try {
      this.projection.assertFresh();
    } catch (error) {
      if (error instanceof AuthorityStaleError || error instanceof AuthorityProjectionNotReadyError) throw new RolesNotFreshError(`Role addresses wait for fresh mandates: ${error.message}`);
      throw error;
    }
    const mandates = this.projection.mandatesOfTaskType(unitId, taskType).map(({ mandate, version }) => ({
      mandateId: mandate.mandateId,
      version,
      holderId: mandate.delegateId,
      deputyId: mandate.deputyId,
      status: statusAt(mandate, at),
    }));
    const people = mandates.flatMap((m) => (m.deputyId ? [m.holderId, m.deputyId] : [m.holderId]));
    return { taskType, unitId, mandates, absentPersonIds: [...this.absences.absentAmong(people, at)], formalManagerIds: [...(this.projection.unit(unitId)?.managerIds ?? [])] };
  }

  async unitName(unitId: string): Promise<string> {
    return (await this.unitNames(unitId)) ?? unitId;
  }

  mandateScope(mandateId: string): { taskType: string; unitId: string; delegatorId: string } | undefined {
    const mandate = this.projection.mandate(mandateId)?.mandate;
    return mandate ? { taskType: mandate.taskType, unitId: mandate.scope.unitId, delegatorId: mandate.delegatorId } : undefined;
  }
}
