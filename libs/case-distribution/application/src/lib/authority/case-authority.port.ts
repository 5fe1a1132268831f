import type { DecisionStamp, FrameworkRuleCheck } from '@leadership/case-distribution-domain';

/** The authorities this context checks (granted by mandates of the `case-distribution` task type). */
export type CaseAuthorityName = 'cases.assign' | 'cases.reassign' | 'cases.prioritise';

/** Where a decision applies: the queue's unit, narrowed to the queue. */
export interface CaseScope {
  readonly unitId: string;
  readonly queueId: string;
}

/** What a granted decision relies on: its stamp, and the machine-checkable rules of the mandate (none for a formal manager). */
export interface Authorised {
  readonly stamp: DecisionStamp;
  readonly rules: readonly FrameworkRuleCheck[];
}

/**
 * The local authority check (the service's own projection of the mandates, `libs/authority`),
 * as the use cases need it. `authorise` answers with the stamp to record, or throws
 * {@link MissingAuthorityError} (403); an implementation that cannot answer freshly throws its own
 * "unavailable" error (503) rather than grant from stale state.
 */
export interface CaseAuthority {
  authorise(actorId: string, authority: CaseAuthorityName, scope: CaseScope): Authorised;
}

/** The caller holds neither a mandate granting `authority` for the scope nor formal management of its unit. */
export class MissingAuthorityError extends Error {
  override readonly name = 'MissingAuthorityError';
  constructor(
    readonly actorId: string,
    readonly authority: string,
    readonly scope: CaseScope,
    readonly reason: string,
    readonly mandateId: string | null = null,
    readonly mandateVersion: number | null = null,
  ) {
    super(`${actorId} may not ${authority} in unit ${scope.unitId}, queue ${scope.queueId}: ${reason}`);
  }
}
