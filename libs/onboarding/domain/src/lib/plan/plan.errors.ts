import { DomainRuleError } from '@leadership/kernel';

/** A command for a newcomer who has no plan (not even a draft). */
export class PlanNotFoundError extends DomainRuleError {
  override readonly name = 'PlanNotFoundError';
  constructor(readonly planId: string) {
    super('plan.not-found', `newcomer ${planId} has no plan`, { planId });
  }
}

/** A draft has no steps yet: generate it from programmes first. */
export class PlanNotGeneratedError extends DomainRuleError {
  override readonly name = 'PlanNotGeneratedError';
  constructor(readonly planId: string, readonly action: string) {
    super('plan.not-generated', `the plan of ${planId} is a draft; generate it before you ${action}`, { planId, action });
  }
}

/** A plan is generated once; later changes are edits of it (generating again would drop them). */
export class PlanAlreadyGeneratedError extends DomainRuleError {
  override readonly name = 'PlanAlreadyGeneratedError';
  constructor(readonly planId: string) {
    super('plan.already-generated', `the plan of ${planId} is generated already with other programmes or dates; edit it instead`, { planId });
  }
}

/** A completed plan is history: it is kept as it was, not edited. */
export class PlanCompletedError extends DomainRuleError {
  override readonly name = 'PlanCompletedError';
  constructor(readonly planId: string, readonly action: string) {
    super('plan.completed', `the plan of ${planId} is completed; it cannot ${action}`, { planId, action });
  }
}

/** The plan belongs to the unit the newcomer joined (the authority is checked against it). */
export class PlanUnitMismatchError extends DomainRuleError {
  override readonly name = 'PlanUnitMismatchError';
  constructor(readonly planId: string, readonly unitId: string, readonly requested: string) {
    super('plan.unit-mismatch', `the plan of ${planId} is in unit ${unitId}, not ${requested}`, { planId, unitId, requested });
  }
}

export class PlanProgrammesRequiredError extends DomainRuleError {
  override readonly name = 'PlanProgrammesRequiredError';
  constructor(readonly planId: string) {
    super('plan.programmes-required', `the plan of ${planId} needs at least one programme`, { planId });
  }
}

/** A real local date and an IANA zone (an offset would get every date after a DST change wrong). */
export class PlanStartInvalidError extends DomainRuleError {
  override readonly name = 'PlanStartInvalidError';
  constructor(readonly planId: string, readonly field: 'startDate' | 'timeZone') {
    super('plan.start-invalid', `the plan of ${planId} needs a valid ${field === 'startDate' ? 'start date (YYYY-MM-DD)' : 'IANA time zone'}`, { planId, field });
  }
}

export class PlanStampInvalidError extends DomainRuleError {
  override readonly name = 'PlanStampInvalidError';
  constructor(readonly planId: string) {
    super('plan.stamp-invalid', `the plan of ${planId}: the decision stamp is incomplete`, { planId });
  }
}

/** No current step has the key (removed steps are history, not steps). */
export class StepNotFoundError extends DomainRuleError {
  override readonly name = 'StepNotFoundError';
  constructor(readonly planId: string, readonly key: string) {
    super('plan.step-not-found', `the plan of ${planId} has no step ${key}`, { planId, key });
  }
}

/** A done task is a fact: it is not edited or removed afterwards. */
export class StepAlreadyDoneError extends DomainRuleError {
  override readonly name = 'StepAlreadyDoneError';
  constructor(readonly planId: string, readonly key: string, readonly action: string) {
    super('plan.step-already-done', `step ${key} of ${planId} is done; it cannot ${action}`, { planId, key, action });
  }
}

export class StepNotATaskError extends DomainRuleError {
  override readonly name = 'StepNotATaskError';
  constructor(readonly planId: string, readonly key: string) {
    super('plan.step-not-a-task', `step ${key} of ${planId} is a session; sessions are not ticked off`, { planId, key });
  }
}

/** Steps that wait for this one would wait forever; change their condition first. */
export class StepHasDependentsError extends DomainRuleError {
  override readonly name = 'StepHasDependentsError';
  constructor(readonly planId: string, readonly key: string, readonly dependents: readonly string[]) {
    super('plan.step-has-dependents', `step ${key} of ${planId} is the condition of ${dependents.join(', ')}`, { planId, key, dependents });
  }
}

/** The reason stays in the history (why this newcomer does not do what the programme says). */
export class StepRemovalReasonRequiredError extends DomainRuleError {
  override readonly name = 'StepRemovalReasonRequiredError';
  constructor(readonly planId: string, readonly key: string) {
    super('plan.step-removal-reason-required', `removing step ${key} of ${planId} needs a reason`, { planId, key });
  }
}

/** The task is available only after its condition step is done. */
export class TaskConditionNotMetError extends DomainRuleError {
  override readonly name = 'TaskConditionNotMetError';
  constructor(readonly planId: string, readonly key: string, readonly after: string) {
    super('plan.task-condition-not-met', `task ${key} of ${planId} is available after ${after} is done`, { planId, key, after });
  }
}

/** Only the owner, or the onboarding manager on their authority, ticks a task off. */
export class TaskNotOwnerError extends DomainRuleError {
  override readonly name = 'TaskNotOwnerError';
  constructor(readonly planId: string, readonly key: string, readonly actorId: string) {
    super('plan.task-not-owner', `${actorId} neither owns task ${key} of ${planId} nor acts as its onboarding manager`, { planId, key, actorId });
  }
}

export class PlanOrganiserInvalidError extends DomainRuleError {
  override readonly name = 'PlanOrganiserInvalidError';
  constructor(readonly planId: string) {
    super('plan.organiser-invalid', `the plan of ${planId} needs a person to hand over to`, { planId });
  }
}
