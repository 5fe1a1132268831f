import { DomainRuleError } from '@leadership/kernel';

/** A command other than RegisterPlan for a plan that was never registered. */
export class PlanNotFoundError extends DomainRuleError {
  override readonly name = 'PlanNotFoundError';
  constructor(readonly planId: string) {
    super('plan.not-found', `plan ${planId} does not exist`, { planId });
  }
}

/** RegisterPlan for an id already registered with another title. */
export class PlanAlreadyExistsError extends DomainRuleError {
  override readonly name = 'PlanAlreadyExistsError';
  constructor(readonly planId: string) {
    super('plan.already-exists', `plan ${planId} already exists with another title`, { planId });
  }
}

/** A plan needs a title that is not blank. */
export class PlanTitleRequiredError extends DomainRuleError {
  override readonly name = 'PlanTitleRequiredError';
  constructor(readonly planId: string) {
    super('plan.title-required', `plan ${planId} needs a title`, { planId });
  }
}

/** Closing needs a reason that is not blank (it is kept for the audit). */
export class PlanCloseReasonRequiredError extends DomainRuleError {
  override readonly name = 'PlanCloseReasonRequiredError';
  constructor(readonly planId: string) {
    super('plan.close-reason-required', `closing plan ${planId} needs a reason`, { planId });
  }
}
