import { DomainRuleError } from '@leadership/kernel';

/** The key is not kebab-case (`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`). */
export class InvalidTaskTypeKeyError extends DomainRuleError {
  override readonly name = 'InvalidTaskTypeKeyError';
  constructor(readonly key: string) {
    super('task-type.invalid-key', `task type key "${key}" is not kebab-case`, { key });
  }
}

/** The title is empty. */
export class MissingTaskTypeTitleError extends DomainRuleError {
  override readonly name = 'MissingTaskTypeTitleError';
  constructor(readonly key: string) {
    super('task-type.missing-title', `task type "${key}" needs a title`, { key });
  }
}

/** A task type must be able to grant at least one authority. */
export class TaskTypeWithoutAuthoritiesError extends DomainRuleError {
  override readonly name = 'TaskTypeWithoutAuthoritiesError';
  constructor(readonly key: string) {
    super('task-type.no-authorities', `task type "${key}" must grant at least one authority`, { key });
  }
}

/** An authority is not of the form `area.action`. */
export class InvalidAuthorityError extends DomainRuleError {
  override readonly name = 'InvalidAuthorityError';
  constructor(readonly key: string, readonly authorities: readonly string[]) {
    super('task-type.invalid-authority', `task type "${key}" has malformed authorities: ${authorities.join(', ')}`, {
      key,
      authorities,
    });
  }
}

/** The longest period is not a whole number of days between 1 and the platform maximum. */
export class InvalidTaskTypePeriodError extends DomainRuleError {
  override readonly name = 'InvalidTaskTypePeriodError';
  constructor(readonly key: string, readonly maxPeriodDays: number) {
    super('task-type.invalid-period', `task type "${key}" has an invalid longest period of ${maxPeriodDays} days`, {
      key,
      maxPeriodDays,
    });
  }
}

/** Defining a key that already exists with a different definition (use ChangeTaskType). */
export class TaskTypeAlreadyDefinedError extends DomainRuleError {
  override readonly name = 'TaskTypeAlreadyDefinedError';
  constructor(readonly key: string) {
    super('task-type.already-defined', `task type "${key}" already exists; change it instead`, { key });
  }
}

/** Changing a key that was never defined. */
export class TaskTypeNotDefinedError extends DomainRuleError {
  override readonly name = 'TaskTypeNotDefinedError';
  constructor(readonly key: string) {
    super('task-type.not-defined', `task type "${key}" is not defined`, { key });
  }
}
