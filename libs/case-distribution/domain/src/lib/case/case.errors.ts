import { DomainRuleError } from '@leadership/kernel';

/** A command other than RegisterCase for a case that was never registered. */
export class CaseNotFoundError extends DomainRuleError {
  override readonly name = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super('case.not-found', `case ${caseId} does not exist`, { caseId });
  }
}

/** RegisterCase for an id already registered with another title. */
export class CaseAlreadyExistsError extends DomainRuleError {
  override readonly name = 'CaseAlreadyExistsError';
  constructor(readonly caseId: string) {
    super('case.already-exists', `case ${caseId} already exists with another title`, { caseId });
  }
}

/** A case needs a title that is not blank. */
export class CaseTitleRequiredError extends DomainRuleError {
  override readonly name = 'CaseTitleRequiredError';
  constructor(readonly caseId: string) {
    super('case.title-required', `case ${caseId} needs a title`, { caseId });
  }
}

/** Closing needs a reason that is not blank (it is kept for the audit). */
export class CaseCloseReasonRequiredError extends DomainRuleError {
  override readonly name = 'CaseCloseReasonRequiredError';
  constructor(readonly caseId: string) {
    super('case.close-reason-required', `closing case ${caseId} needs a reason`, { caseId });
  }
}
