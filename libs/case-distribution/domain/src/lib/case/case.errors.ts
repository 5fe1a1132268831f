import { DomainRuleError } from '@leadership/kernel';
import type { FrameworkViolation } from '../framework/framework-rules';

/** A command other than RegisterCase for a case that was never registered. */
export class CaseNotFoundError extends DomainRuleError {
  override readonly name = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super('case.not-found', `case ${caseId} does not exist`, { caseId });
  }
}

/** RegisterCase for an id already registered with other data (a retry with the same data is a no-op). */
export class CaseAlreadyExistsError extends DomainRuleError {
  override readonly name = 'CaseAlreadyExistsError';
  constructor(readonly caseId: string) {
    super('case.already-exists', `case ${caseId} already exists with other data`, { caseId });
  }
}

/** A case needs a title that is not blank. */
export class CaseTitleRequiredError extends DomainRuleError {
  override readonly name = 'CaseTitleRequiredError';
  constructor(readonly caseId: string) {
    super('case.title-required', `case ${caseId} needs a title`, { caseId });
  }
}

/** A case belongs to a queue and a unit, and arrives over a channel: none of them blank. */
export class CaseRoutingDataRequiredError extends DomainRuleError {
  override readonly name = 'CaseRoutingDataRequiredError';
  constructor(readonly caseId: string, readonly field: 'queueId' | 'unitId' | 'channel') {
    super('case.routing-data-required', `case ${caseId} needs a ${field}`, { caseId, field });
  }
}

/** Priorities are P1..P4. */
export class CasePriorityInvalidError extends DomainRuleError {
  override readonly name = 'CasePriorityInvalidError';
  constructor(readonly caseId: string, readonly priority: unknown) {
    super('case.priority-invalid', `case ${caseId}: priority must be P1, P2, P3 or P4, got ${String(priority)}`, { caseId });
  }
}

/** Skills name something and ask for a level of 1..5, each name once. */
export class CaseSkillInvalidError extends DomainRuleError {
  override readonly name = 'CaseSkillInvalidError';
  constructor(readonly caseId: string, readonly skill: string) {
    super('case.skill-invalid', `case ${caseId}: skill "${skill}" needs a name, a level of 1 to 5, and may appear once`, { caseId, skill });
  }
}

/** Instants on a command are ISO-8601 with an offset. */
export class CaseInstantInvalidError extends DomainRuleError {
  override readonly name = 'CaseInstantInvalidError';
  constructor(readonly caseId: string, readonly field: string) {
    super('case.instant-invalid', `case ${caseId}: ${field} is not an ISO-8601 instant with an offset`, { caseId, field });
  }
}

/** A stamp names its actor; a mandate basis names the mandate and its version, other bases none. */
export class DecisionStampInvalidError extends DomainRuleError {
  override readonly name = 'DecisionStampInvalidError';
  constructor(readonly caseId: string) {
    super('case.stamp-invalid', `decision on case ${caseId}: the stamp does not name its authority consistently`, { caseId });
  }
}

/** Offers and overflows are made only for a case waiting in its queue. */
export class CaseNotQueuedError extends DomainRuleError {
  override readonly name = 'CaseNotQueuedError';
  constructor(readonly caseId: string, readonly status: string) {
    super('case.not-queued', `case ${caseId} is ${status}, not queued`, { caseId, status });
  }
}

/** Accepting or declining needs an offer that is still pending. */
export class OfferNotPendingError extends DomainRuleError {
  override readonly name = 'OfferNotPendingError';
  constructor(readonly caseId: string) {
    super('case.offer-not-pending', `case ${caseId} has no pending offer`, { caseId });
  }
}

/** Only the agent an offer was made to answers it. */
export class NotOfferedAgentError extends DomainRuleError {
  override readonly name = 'NotOfferedAgentError';
  constructor(readonly caseId: string, readonly actorId: string) {
    super('case.not-offered-agent', `case ${caseId} was not offered to ${actorId}`, { caseId, actorId });
  }
}

/** An offer answered at or after its expiry is gone (the timer may not have fired yet). */
export class OfferExpiredError extends DomainRuleError {
  override readonly name = 'OfferExpiredError';
  constructor(readonly caseId: string, readonly expiresAt: string) {
    super('case.offer-expired', `the offer of case ${caseId} expired at ${expiresAt}`, { caseId, expiresAt });
  }
}

/** The offer timer fired early: an offer expires at its `expiresAt`, not before. */
export class OfferNotExpiredError extends DomainRuleError {
  override readonly name = 'OfferNotExpiredError';
  constructor(readonly caseId: string, readonly expiresAt: string) {
    super('case.offer-not-expired', `the offer of case ${caseId} runs until ${expiresAt}`, { caseId, expiresAt });
  }
}

/** An offer needs time to be answered: it expires after it is made. */
export class OfferExpiryInvalidError extends DomainRuleError {
  override readonly name = 'OfferExpiryInvalidError';
  constructor(readonly caseId: string, readonly expiresAt: string) {
    super('case.offer-expiry-invalid', `an offer of case ${caseId} must expire after it is made, not at ${expiresAt}`, { caseId, expiresAt });
  }
}

/** An agent who declined a case is not offered it again (they said why). */
export class OfferToDeclinerError extends DomainRuleError {
  override readonly name = 'OfferToDeclinerError';
  constructor(readonly caseId: string, readonly agentId: string) {
    super('case.offer-to-decliner', `${agentId} declined case ${caseId} already`, { caseId, agentId });
  }
}

/** Manual decisions and declines give a reason that is not blank (it is kept for the audit). */
export class CaseReasonRequiredError extends DomainRuleError {
  override readonly name = 'CaseReasonRequiredError';
  constructor(readonly caseId: string, readonly action: string) {
    super('case.reason-required', `${action} case ${caseId} needs a reason`, { caseId, action });
  }
}

/** AssignCase for a case someone else holds: that is a reassignment, with its own authority. */
export class CaseAlreadyAssignedError extends DomainRuleError {
  override readonly name = 'CaseAlreadyAssignedError';
  constructor(readonly caseId: string, readonly assigneeId: string) {
    super('case.already-assigned', `case ${caseId} is assigned to ${assigneeId}; reassign it instead`, { caseId, assigneeId });
  }
}

/** Reassigning and resolving need an assignee. */
export class CaseNotAssignedError extends DomainRuleError {
  override readonly name = 'CaseNotAssignedError';
  constructor(readonly caseId: string, readonly status: string) {
    super('case.not-assigned', `case ${caseId} is ${status}, not assigned`, { caseId, status });
  }
}

/** A resolved case takes no more decisions. */
export class CaseResolvedError extends DomainRuleError {
  override readonly name = 'CaseResolvedError';
  constructor(readonly caseId: string, readonly action: string) {
    super('case.resolved', `case ${caseId} is resolved; cannot ${action} it`, { caseId, action });
  }
}

/** A case is assigned by hand only to an agent of its queue (a manager adds the person first: PUT /queues/{id}/agents/{personId}). */
export class AssigneeNotAgentError extends DomainRuleError {
  override readonly name = 'AssigneeNotAgentError';
  constructor(readonly caseId: string, readonly assigneeId: string, readonly queueId: string) {
    super('case.assignee-not-agent', `${assigneeId} is no agent of queue ${queueId}, so case ${caseId} cannot be theirs; add them to the queue first`, { caseId, assigneeId, queueId });
  }
}

/** A manual assignment beyond the assignee's capacity must say so (`overCapacity`), with its reason. */
export class OverCapacityNotAcknowledgedError extends DomainRuleError {
  override readonly name = 'OverCapacityNotAcknowledgedError';
  constructor(readonly caseId: string, readonly assigneeId: string, readonly load: number, readonly capacity: number) {
    super('case.over-capacity-not-acknowledged', `assigning case ${caseId} to ${assigneeId} takes their load to ${load} of ${capacity}; set overCapacity and give the reason`, {
      caseId,
      assigneeId,
      load,
      capacity,
    });
  }
}

/** An `enforce` framework rule of the mandate forbids the decision. */
export class FrameworkRuleViolatedError extends DomainRuleError {
  override readonly name = 'FrameworkRuleViolatedError';
  constructor(readonly caseId: string, readonly violations: readonly FrameworkViolation[]) {
    super('case.framework-rule-violated', `the mandate's framework forbids this decision on case ${caseId}: ${violations.map((v) => v.message).join('; ')}`, {
      caseId,
      violations,
    });
  }
}

/** Overflow moves a case elsewhere: not into the queue it is in. */
export class OverflowSameQueueError extends DomainRuleError {
  override readonly name = 'OverflowSameQueueError';
  constructor(readonly caseId: string, readonly queueId: string) {
    super('case.overflow-same-queue', `case ${caseId} is in queue ${queueId} already`, { caseId, queueId });
  }
}

/** A breach is recorded at or after the due time, not before. */
export class SlaNotDueError extends DomainRuleError {
  override readonly name = 'SlaNotDueError';
  constructor(readonly caseId: string, readonly dueAt: string) {
    super('case.sla-not-due', `the SLA target of case ${caseId} is due at ${dueAt}`, { caseId, dueAt });
  }
}
