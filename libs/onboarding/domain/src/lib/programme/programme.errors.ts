import { DomainRuleError } from '@leadership/kernel';

/** A programme the stream does not hold (plans are generated only from defined programmes). */
export class ProgrammeNotFoundError extends DomainRuleError {
  override readonly name = 'ProgrammeNotFoundError';
  constructor(readonly programmeId: string) {
    super('programme.not-found', `programme ${programmeId} does not exist`, { programmeId });
  }
}

export class ProgrammeTitleRequiredError extends DomainRuleError {
  override readonly name = 'ProgrammeTitleRequiredError';
  constructor(readonly programmeId: string) {
    super('programme.title-required', `programme ${programmeId} needs a title`, { programmeId });
  }
}

/** A programme without steps would generate empty plans. */
export class ProgrammeStepsRequiredError extends DomainRuleError {
  override readonly name = 'ProgrammeStepsRequiredError';
  constructor(readonly programmeId: string) {
    super('programme.steps-required', `programme ${programmeId} needs at least one step`, { programmeId });
  }
}

/** A longer programme is unreadable as a checklist; 200 is far above the 40 steps of a large real one. */
export class ProgrammeTooLongError extends DomainRuleError {
  override readonly name = 'ProgrammeTooLongError';
  constructor(readonly programmeId: string, readonly steps: number, readonly max: number) {
    super('programme.too-long', `programme ${programmeId} has ${steps} steps; at most ${max}`, { programmeId, steps, max });
  }
}

/**
 * A programme belongs to one unit for good: the authority to write it is checked against that unit,
 * so moving it would let a manager of one unit rewrite another's template.
 */
export class ProgrammeUnitFixedError extends DomainRuleError {
  override readonly name = 'ProgrammeUnitFixedError';
  constructor(readonly programmeId: string, readonly unitId: string, readonly requested: string) {
    super('programme.unit-fixed', `programme ${programmeId} belongs to unit ${unitId}, not ${requested}`, { programmeId, unitId, requested });
  }
}

/** The decision names who decided on which authority (a mandate with its version, or the formal manager). */
export class ProgrammeStampInvalidError extends DomainRuleError {
  override readonly name = 'ProgrammeStampInvalidError';
  constructor(readonly programmeId: string) {
    super('programme.stamp-invalid', `programme ${programmeId}: the decision stamp is incomplete`, { programmeId });
  }
}
