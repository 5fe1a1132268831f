import { DomainRuleError } from '@leadership/kernel';

/** A command other than ProposeMandate for a mandate that was never proposed. */
export class MandateNotFoundError extends DomainRuleError {
  override readonly name = 'MandateNotFoundError';
  constructor(readonly mandateId: string) {
    super('mandate.not-found', `mandate ${mandateId} does not exist`, { mandateId });
  }
}

/** ProposeMandate for an id already used with different terms. */
export class MandateAlreadyExistsError extends DomainRuleError {
  override readonly name = 'MandateAlreadyExistsError';
  constructor(readonly mandateId: string) {
    super('mandate.already-exists', `mandate ${mandateId} already exists with other terms`, { mandateId });
  }
}

/** The mandate's status does not allow the command. */
export class InvalidMandateTransitionError extends DomainRuleError {
  override readonly name = 'InvalidMandateTransitionError';
  constructor(readonly mandateId: string, readonly from: string, readonly to: string, readonly command: string) {
    super('mandate.invalid-transition', `mandate ${mandateId} cannot go from ${from} to ${to} (${command})`, {
      mandateId,
      from,
      to,
      command,
    });
  }
}

/** The proposer must be the delegator named on the proposal. */
export class ProposerNotDelegatorError extends DomainRuleError {
  override readonly name = 'ProposerNotDelegatorError';
  constructor(readonly actorId: string, readonly delegatorId: string) {
    super('mandate.actor-not-delegator', `${actorId} cannot propose a mandate on behalf of ${delegatorId}`, { actorId, delegatorId });
  }
}

/** The task type definition supplied in the context is not the mandate's task type. */
export class TaskTypeMismatchError extends DomainRuleError {
  override readonly name = 'TaskTypeMismatchError';
  constructor(readonly expected: string, readonly supplied: string) {
    super('mandate.task-type-mismatch', `task type definition "${supplied}" given for a "${expected}" mandate`, { expected, supplied });
  }
}

/** Delegator and delegate are the same person. */
export class SelfDelegationError extends DomainRuleError {
  override readonly name = 'SelfDelegationError';
  constructor(readonly personId: string) {
    super('mandate.self-delegation', `${personId} cannot delegate to themself`, { personId });
  }
}

/** Only a formal manager of the scope unit (or an ancestor unit) may do this. */
export class NotFormalManagerError extends DomainRuleError {
  override readonly name = 'NotFormalManagerError';
  constructor(readonly personId: string, readonly unitId: string, readonly action: string) {
    super('mandate.not-formal-manager', `${personId} is not a formal manager of unit ${unitId} and cannot ${action}`, {
      personId,
      unitId,
      action,
    });
  }
}

/** The delegator holds a mandate of this task type, but the type does not allow handing it on. */
export class RedelegationNotAllowedError extends DomainRuleError {
  override readonly name = 'RedelegationNotAllowedError';
  constructor(readonly taskType: string, readonly basisMandateId: string) {
    super('mandate.redelegation-not-allowed', `task type ${taskType} does not allow re-delegation (basis ${basisMandateId})`, {
      taskType,
      basisMandateId,
    });
  }
}

/** A re-delegation may grant no more authorities and last no longer than the mandate it rests on. */
export class RedelegationExceedsBasisError extends DomainRuleError {
  override readonly name = 'RedelegationExceedsBasisError';
  constructor(readonly basisMandateId: string, readonly excessAuthorities: readonly string[], readonly outlastsBasis: boolean) {
    super(
      'mandate.redelegation-exceeds-basis',
      `re-delegation exceeds mandate ${basisMandateId}` +
        (excessAuthorities.length > 0 ? `: authorities ${excessAuthorities.join(', ')} not held` : '') +
        (outlastsBasis ? ': period ends after the basis mandate' : ''),
      { basisMandateId, excessAuthorities, outlastsBasis },
    );
  }
}

/** The delegate is not a member of the scope unit. */
export class DelegateNotMemberError extends DomainRuleError {
  override readonly name = 'DelegateNotMemberError';
  constructor(readonly delegateId: string, readonly unitId: string) {
    super('mandate.delegate-not-member', `${delegateId} is not a member of unit ${unitId}`, { delegateId, unitId });
  }
}

/** The task type needs a queue or project in the scope. */
export class ScopeIncompleteError extends DomainRuleError {
  override readonly name = 'ScopeIncompleteError';
  constructor(readonly taskType: string, readonly required: string) {
    super('mandate.scope-incomplete', `a ${taskType} mandate must name a ${required} in its scope`, { taskType, required });
  }
}

/** A mandate grants at least one authority. */
export class NoAuthoritiesError extends DomainRuleError {
  override readonly name = 'NoAuthoritiesError';
  constructor(readonly mandateId: string) {
    super('mandate.no-authorities', `mandate ${mandateId} must grant at least one authority`, { mandateId });
  }
}

/** Authorities outside what the task type can grant. */
export class AuthorityNotGrantableError extends DomainRuleError {
  override readonly name = 'AuthorityNotGrantableError';
  constructor(readonly taskType: string, readonly authorities: readonly string[]) {
    super('mandate.authority-not-grantable', `task type ${taskType} cannot grant ${authorities.join(', ')}`, { taskType, authorities });
  }
}

/** Direction (purpose, success criteria) is missing or blank. */
export class MissingDirectionError extends DomainRuleError {
  override readonly name = 'MissingDirectionError';
  constructor(readonly mandateId: string) {
    super('mandate.missing-direction', `mandate ${mandateId} needs a purpose (and no blank success criteria)`, { mandateId });
  }
}

/** A mandate needs at least one framework rule. */
export class MissingFrameworkError extends DomainRuleError {
  override readonly name = 'MissingFrameworkError';
  constructor(readonly mandateId: string) {
    super('mandate.missing-framework', `mandate ${mandateId} needs at least one framework rule`, { mandateId });
  }
}

/** The framework is malformed (blank rule, duplicate rule id, unknown mode, no escalation contact). */
export class InvalidFrameworkError extends DomainRuleError {
  override readonly name = 'InvalidFrameworkError';
  constructor(readonly mandateId: string, readonly problem: string) {
    super('mandate.invalid-framework', `mandate ${mandateId} has an invalid framework: ${problem}`, { mandateId, problem });
  }
}

/**
 * A framework rule's machine check names a kind no context publishes, or parameters that kind
 * does not accept: a check nobody can evaluate would look like a boundary and be none.
 */
export class InvalidFrameworkCheckError extends DomainRuleError {
  override readonly name = 'InvalidFrameworkCheckError';
  constructor(readonly problems: readonly { readonly ruleId: string; readonly problem: string }[]) {
    super('mandate.invalid-framework-check', `framework checks not accepted: ${problems.map((p) => `rule ${p.ruleId}: ${p.problem}`).join('; ')}`, { problems });
  }
}

/** The mandate was amended MAX_AMENDMENTS_PER_WINDOW times within the window: the next amendment waits until `retryAt`. */
export class AmendmentRateLimitedError extends DomainRuleError {
  override readonly name = 'AmendmentRateLimitedError';
  constructor(readonly mandateId: string, readonly limit: number, readonly windowMs: number, readonly retryAt: string) {
    super('mandate.amend-rate-limited', `mandate ${mandateId} was amended ${limit} times within ${windowMs / 60_000} minutes; amend again after ${retryAt}`, { mandateId, limit, retryAt });
  }
}

/** The period is not two valid instants with from before until. */
export class InvalidPeriodError extends DomainRuleError {
  override readonly name = 'InvalidPeriodError';
  constructor(readonly from: string, readonly until: string) {
    super('mandate.invalid-period', `period ${from} – ${until} is not a valid bounded period`, { from, until });
  }
}

/** The period is longer than the task type allows. */
export class PeriodTooLongError extends DomainRuleError {
  override readonly name = 'PeriodTooLongError';
  constructor(readonly taskType: string, readonly maxPeriodDays: number, readonly from: string, readonly until: string) {
    super('mandate.period-too-long', `a ${taskType} mandate lasts at most ${maxPeriodDays} days (${from} – ${until})`, {
      taskType,
      maxPeriodDays,
      from,
      until,
    });
  }
}

/** The period has already ended at the time of the command. */
export class PeriodEndedError extends DomainRuleError {
  override readonly name = 'PeriodEndedError';
  constructor(readonly mandateId: string, readonly until: string, readonly at: string) {
    super('mandate.period-ended', `mandate ${mandateId}'s period ended at ${until} (now ${at})`, { mandateId, until, at });
  }
}

/** Activation before the period starts. */
export class NotYetStartedError extends DomainRuleError {
  override readonly name = 'NotYetStartedError';
  constructor(readonly mandateId: string, readonly from: string, readonly at: string) {
    super('mandate.not-yet-started', `mandate ${mandateId} starts at ${from}, not ${at}`, { mandateId, from, at });
  }
}

/** Expiry before the period ends. */
export class NotYetExpiredError extends DomainRuleError {
  override readonly name = 'NotYetExpiredError';
  constructor(readonly mandateId: string, readonly until: string, readonly at: string) {
    super('mandate.not-yet-expired', `mandate ${mandateId} runs until ${until}, it cannot expire at ${at}`, { mandateId, until, at });
  }
}

/** An extension must end later than the current period. */
export class ExtensionNotLaterError extends DomainRuleError {
  override readonly name = 'ExtensionNotLaterError';
  constructor(readonly mandateId: string, readonly until: string, readonly newUntil: string) {
    super('mandate.extension-not-later', `extending mandate ${mandateId} to ${newUntil} would shorten it (now until ${until})`, {
      mandateId,
      until,
      newUntil,
    });
  }
}

/** Another mandate of an exclusive task type overlaps in the same scope. */
export class ExclusiveOverlapError extends DomainRuleError {
  override readonly name = 'ExclusiveOverlapError';
  constructor(readonly taskType: string, readonly scope: string, readonly otherMandateId: string) {
    super('mandate.exclusive-overlap', `${taskType} is exclusive and mandate ${otherMandateId} already covers ${scope}`, {
      taskType,
      scope,
      otherMandateId,
    });
  }
}

/** Review cadence must be a whole number of days within bounds. */
export class InvalidReviewCadenceError extends DomainRuleError {
  override readonly name = 'InvalidReviewCadenceError';
  constructor(readonly reviewCadenceDays: number) {
    super('mandate.invalid-review-cadence', `review cadence of ${reviewCadenceDays} days is not between 1 and 365`, {
      reviewCadenceDays,
    });
  }
}

/** The deputy stands in for the delegate, so cannot be the delegate. */
export class InvalidDeputyError extends DomainRuleError {
  override readonly name = 'InvalidDeputyError';
  constructor(readonly deputyId: string) {
    super('mandate.invalid-deputy', `${deputyId} cannot be deputy of their own mandate`, { deputyId });
  }
}

/** Only the delegate accepts, declines or relinquishes: consent matters. */
export class NotDelegateError extends DomainRuleError {
  override readonly name = 'NotDelegateError';
  constructor(readonly actorId: string, readonly mandateId: string, readonly action: string) {
    super('mandate.not-delegate', `only the delegate of mandate ${mandateId} can ${action}, not ${actorId}`, { actorId, mandateId, action });
  }
}

/** Check-ins are recorded by the delegate or the delegator only. */
export class NotPartyError extends DomainRuleError {
  override readonly name = 'NotPartyError';
  constructor(readonly actorId: string, readonly mandateId: string) {
    super('mandate.not-party', `${actorId} is neither delegate nor delegator of mandate ${mandateId}`, { actorId, mandateId });
  }
}

/** Declining, suspending, revoking and relinquishing need a reason: the audit trail asks why. */
export class MissingReasonError extends DomainRuleError {
  override readonly name = 'MissingReasonError';
  constructor(readonly mandateId: string, readonly action: string) {
    super('mandate.reason-required', `a reason is required to ${action} mandate ${mandateId}`, { mandateId, action });
  }
}
