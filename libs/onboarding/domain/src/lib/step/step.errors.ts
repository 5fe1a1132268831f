import { DomainRuleError } from '@leadership/kernel';

/*
 * Rules of a step, whether it is written in a programme or in one newcomer's plan. `ownerId` is the
 * programme or plan the step belongs to.
 */

/** Keys are short kebab-case names (`meet-your-buddy`): they appear in URLs, PATCH bodies and reminder ids. */
export class StepKeyInvalidError extends DomainRuleError {
  override readonly name = 'StepKeyInvalidError';
  constructor(readonly ownerId: string, readonly key: string) {
    super('onboarding.step-key-invalid', `${ownerId}: step key "${key}" is not 1-64 lower-case letters, digits and "-"`, { ownerId, key });
  }
}

/** Each key names one step (conditions and edits refer to steps by key). */
export class StepKeyDuplicateError extends DomainRuleError {
  override readonly name = 'StepKeyDuplicateError';
  constructor(readonly ownerId: string, readonly key: string) {
    super('onboarding.step-key-duplicate', `${ownerId}: step key ${key} is used twice`, { ownerId, key });
  }
}

export class StepTitleRequiredError extends DomainRuleError {
  override readonly name = 'StepTitleRequiredError';
  constructor(readonly ownerId: string, readonly key: string) {
    super('onboarding.step-title-required', `${ownerId}: step ${key} needs a title`, { ownerId, key });
  }
}

/** A whole number of days within the bounds: a quarter before the start to a year after it. */
export class StepDayOffsetInvalidError extends DomainRuleError {
  override readonly name = 'StepDayOffsetInvalidError';
  constructor(readonly ownerId: string, readonly key: string, readonly dayOffset: number) {
    super('onboarding.step-day-offset-invalid', `${ownerId}: step ${key} has day offset ${dayOffset}; whole days from -90 to 365`, { ownerId, key, dayOffset });
  }
}

/** Times are local wall-clock `HH:MM`. */
export class StepTimeInvalidError extends DomainRuleError {
  override readonly name = 'StepTimeInvalidError';
  constructor(readonly ownerId: string, readonly key: string, readonly time: string) {
    super('onboarding.step-time-invalid', `${ownerId}: step ${key} has time "${time}"; expected HH:MM`, { ownerId, key });
  }
}

/** A session is an appointment: it has a local start time and a duration. */
export class SessionScheduleRequiredError extends DomainRuleError {
  override readonly name = 'SessionScheduleRequiredError';
  constructor(readonly ownerId: string, readonly key: string) {
    super('onboarding.session-schedule-required', `${ownerId}: session ${key} needs a time and a duration`, { ownerId, key });
  }
}

/** One minute to one working day: a longer session is a typo or a course of several sessions. */
export class SessionDurationInvalidError extends DomainRuleError {
  override readonly name = 'SessionDurationInvalidError';
  constructor(readonly ownerId: string, readonly key: string, readonly durationMinutes: number) {
    super('onboarding.session-duration-invalid', `${ownerId}: session ${key} lasts ${durationMinutes} minutes; 1 to 480`, { ownerId, key, durationMinutes });
  }
}

/** Capacity is a positive whole number of attendees. */
export class SessionCapacityInvalidError extends DomainRuleError {
  override readonly name = 'SessionCapacityInvalidError';
  constructor(readonly ownerId: string, readonly key: string) {
    super('onboarding.session-capacity-invalid', `${ownerId}: session ${key} needs a capacity of at least 1`, { ownerId, key });
  }
}

/**
 * Fields that belong to the other kind: presenters, durations, capacity, audience, place and link
 * are for sessions; owners for tasks (a session's owner is its organiser, the onboarding manager).
 */
export class StepFieldNotAllowedError extends DomainRuleError {
  override readonly name = 'StepFieldNotAllowedError';
  constructor(readonly ownerId: string, readonly key: string, readonly field: string, readonly kind: string) {
    super('onboarding.step-field-not-allowed', `${ownerId}: a ${kind} (step ${key}) has no ${field}`, { ownerId, key, field, kind });
  }
}

/** A presenter is one person, one role or one skill; an owner one role or one person. */
export class StepPartyInvalidError extends DomainRuleError {
  override readonly name = 'StepPartyInvalidError';
  constructor(readonly ownerId: string, readonly key: string, readonly field: 'presenter' | 'owner') {
    super('onboarding.step-party-invalid', `${ownerId}: the ${field} of step ${key} is not valid`, { ownerId, key, field });
  }
}

/** Links are https URLs: an invitation's link is opened by many people, so never a plain-http one. */
export class StepLinkInvalidError extends DomainRuleError {
  override readonly name = 'StepLinkInvalidError';
  constructor(readonly ownerId: string, readonly key: string) {
    super('onboarding.step-link-invalid', `${ownerId}: the link of step ${key} is not an https URL`, { ownerId, key });
  }
}

/** `after` names another step of the same programme or plan. */
export class StepConditionUnknownError extends DomainRuleError {
  override readonly name = 'StepConditionUnknownError';
  constructor(readonly ownerId: string, readonly key: string, readonly after: string) {
    super('onboarding.step-condition-unknown', `${ownerId}: step ${key} comes after "${after}", which is not another step`, { ownerId, key, after });
  }
}

/** Conditions may not go round in a circle: every step in it would wait for itself. */
export class StepConditionCycleError extends DomainRuleError {
  override readonly name = 'StepConditionCycleError';
  constructor(readonly ownerId: string, readonly cycle: readonly string[]) {
    super('onboarding.step-condition-cycle', `${ownerId}: steps wait for each other in a circle: ${cycle.join(' → ')}`, { ownerId, cycle });
  }
}
