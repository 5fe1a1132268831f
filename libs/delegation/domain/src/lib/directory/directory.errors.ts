import { DomainRuleError } from '@leadership/kernel';

/** An id is empty or contains characters outside `[A-Za-z0-9._:-]`. */
export class InvalidDirectoryIdError extends DomainRuleError {
  override readonly name = 'InvalidDirectoryIdError';
  constructor(readonly field: string, readonly value: string) {
    super('directory.invalid-id', `${field} "${value}" is not a valid id`, { field, value });
  }
}

/** A unit needs a name, a person a display name. */
export class MissingNameError extends DomainRuleError {
  override readonly name = 'MissingNameError';
  constructor(readonly id: string) {
    super('directory.missing-name', `"${id}" needs a non-empty name`, { id });
  }
}

/** A unit cannot be its own parent. */
export class UnitOwnParentError extends DomainRuleError {
  override readonly name = 'UnitOwnParentError';
  constructor(readonly unitId: string) {
    super('directory.unit-own-parent', `unit "${unitId}" cannot be its own parent`, { unitId });
  }
}

/** The parent chain would loop back to the unit. */
export class UnitCycleError extends DomainRuleError {
  override readonly name = 'UnitCycleError';
  constructor(readonly unitId: string, readonly parentId: string) {
    super('directory.unit-cycle', `making "${parentId}" the parent of "${unitId}" creates a cycle`, { unitId, parentId });
  }
}

/** The parent unit exists neither in the directory nor in the batch. */
export class UnknownParentUnitError extends DomainRuleError {
  override readonly name = 'UnknownParentUnitError';
  constructor(readonly unitId: string, readonly parentId: string) {
    super('directory.unknown-parent', `parent unit "${parentId}" of "${unitId}" is unknown`, { unitId, parentId });
  }
}

/** The e-mail address does not have the shape local@domain.tld. */
export class InvalidEmailError extends DomainRuleError {
  override readonly name = 'InvalidEmailError';
  constructor(readonly personId: string) {
    // The address itself is personal data: it stays out of message and details (they reach logs).
    super('directory.invalid-email', `person "${personId}" has an invalid e-mail address`, { personId });
  }
}

/** The locale is not a BCP 47 tag like `de` or `de-CH`. */
export class InvalidLocaleError extends DomainRuleError {
  override readonly name = 'InvalidLocaleError';
  constructor(readonly personId: string, readonly locale: string) {
    super('directory.invalid-locale', `person "${personId}" has an invalid locale "${locale}"`, { personId, locale });
  }
}

/** A membership names a unit that exists neither in the directory nor in the batch. */
export class UnknownUnitError extends DomainRuleError {
  override readonly name = 'UnknownUnitError';
  constructor(readonly personId: string, readonly unitIds: readonly string[]) {
    super('directory.unknown-unit', `person "${personId}" is member of unknown units: ${unitIds.join(', ')}`, {
      personId,
      unitIds,
    });
  }
}

/** The same id appears more than once in one import batch: which row wins would be arbitrary. */
export class DuplicateIdInBatchError extends DomainRuleError {
  override readonly name = 'DuplicateIdInBatchError';
  /** `rows`: where the rows stand, as rows (index in their list) or lines (of an NDJSON import). */
  constructor(readonly id: string, readonly rows: readonly number[], label: 'rows' | 'lines' = 'rows') {
    super('directory.duplicate-id-in-batch', `id "${id}" appears in ${label} ${rows.join(', ')}`, { id, [label]: rows });
  }
}

/** A skill name is not a word of letters, digits and `. _ : + -`, or a person has too many. */
export class InvalidSkillError extends DomainRuleError {
  override readonly name = 'InvalidSkillError';
  constructor(readonly personId: string, reason: string) {
    super('directory.invalid-skill', `person "${personId}": ${reason}`, { personId });
  }
}

/** An absence period is malformed: not instants, `from` not before `to`, a bad id, or too many periods. */
export class InvalidAbsenceError extends DomainRuleError {
  override readonly name = 'InvalidAbsenceError';
  constructor(readonly personId: string, readonly index: number | null, reason: string) {
    super('directory.invalid-absence', `person "${personId}"${index === null ? '' : `, absence ${index}`}: ${reason}`, { personId, ...(index === null ? {} : { index }) });
  }
}

/** Two absence periods of one person carry the same id. */
export class DuplicateAbsenceIdError extends DomainRuleError {
  override readonly name = 'DuplicateAbsenceIdError';
  constructor(readonly personId: string, readonly absenceId: string) {
    super('directory.duplicate-absence-id', `person "${personId}" has two absences with id "${absenceId}"`, { personId, absenceId });
  }
}

/** A command for a person the directory does not know. */
export class UnknownPersonError extends DomainRuleError {
  override readonly name = 'UnknownPersonError';
  constructor(readonly personId: string) {
    super('directory.unknown-person', `person "${personId}" is not in the directory`, { personId });
  }
}
