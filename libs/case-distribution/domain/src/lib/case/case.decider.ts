import { assertNever, type Decider } from '@leadership/kernel';
import type { FrameworkViolation } from '../framework/framework-rules';
import { blank, isPriority, sameSkills, validSkill, validStamp, type DecisionStamp, type Skill } from '../shared/case-vocabulary';
import { earlier, isInstant } from '../shared/instant';
import type {
  AcceptOffer,
  AssignCase,
  CaseCommand,
  DeclineOffer,
  ExpireOffer,
  MarkSlaAtRisk,
  OfferCase,
  OverflowCase,
  PrioritiseCase,
  ReassignCase,
  RecordSlaBreach,
  RegisterCase,
  ResolveCase,
} from './case.commands';
import {
  AssigneeNotAgentError,
  CaseAlreadyAssignedError,
  CaseAlreadyExistsError,
  CaseInstantInvalidError,
  CaseNotAssignedError,
  CaseNotFoundError,
  CaseNotQueuedError,
  CasePriorityInvalidError,
  CaseReasonRequiredError,
  CaseResolvedError,
  CaseRoutingDataRequiredError,
  CaseSkillInvalidError,
  CaseTitleRequiredError,
  DecisionStampInvalidError,
  FrameworkRuleViolatedError,
  NotOfferedAgentError,
  OfferExpiredError,
  OfferExpiryInvalidError,
  OfferNotExpiredError,
  OfferNotPendingError,
  OfferToDeclinerError,
  OverCapacityNotAcknowledgedError,
  OverflowSameQueueError,
  SlaNotDueError,
} from './case.errors';
import type { CaseDecisionKind, CaseEvent, CaseRegistered } from './case.events';
import { evolveCase, type CaseState, type ExistingCase } from './case.state';

type Events = readonly CaseEvent[];

// ---------------------------------------------------------------------------------------------
// Guards shared by the commands.

function existing(state: CaseState, caseId: string): ExistingCase {
  if (state.status === 'none') throw new CaseNotFoundError(caseId);
  return state;
}

function requireOpen(state: ExistingCase, action: string): void {
  if (state.status === 'resolved') throw new CaseResolvedError(state.caseId, action);
}

function requireStamp(caseId: string, stamp: DecisionStamp): void {
  if (!validStamp(stamp)) throw new DecisionStampInvalidError(caseId);
}

function requireReason(caseId: string, reason: string, action: string): string {
  if (blank(reason)) throw new CaseReasonRequiredError(caseId, action);
  return reason.trim();
}

function requireInstant(caseId: string, value: string, field: string): void {
  if (!isInstant(value)) throw new CaseInstantInvalidError(caseId, field);
}

/** An `enforce` violation refuses the decision (checked before anything the caller could fix, such as acknowledging over capacity). */
function requireWithinFramework(caseId: string, violations: readonly FrameworkViolation[] = []): void {
  const enforced = violations.filter((v) => v.mode === 'enforce');
  if (enforced.length > 0) throw new FrameworkRuleViolatedError(caseId, enforced);
}

/** An `enforce` violation refuses the decision; `warn` ones become a warning event after it. */
function warningsAfter(
  caseId: string,
  decision: CaseDecisionKind,
  stamp: DecisionStamp,
  at: string,
  violations: readonly FrameworkViolation[] = [],
): Events {
  requireWithinFramework(caseId, violations);
  const warned = violations.filter((v) => v.mode === 'warn');
  if (warned.length === 0) return [];
  return [{ type: 'CaseFrameworkWarningRecorded', data: { caseId, actorId: stamp.actorId, at, stamp, decision, violations: warned } }];
}

/**
 * True when the assignment takes the assignee beyond capacity; refused unless acknowledged. Only
 * an agent of the case's queue can take it at all (a person who is none has no capacity there, and
 * acknowledging that would hand the case to someone who never sees the queue, or to nobody).
 */
function overCapacity(command: AssignCase | ReassignCase, queueId: string): boolean {
  const { caseId, assigneeId, capacity, overCapacity: acknowledged } = command.data;
  if (!capacity.agent) throw new AssigneeNotAgentError(caseId, assigneeId, queueId);
  const after = capacity.load + capacity.caseWeight;
  const over = after > capacity.capacity;
  if (over && !acknowledged) throw new OverCapacityNotAcknowledgedError(caseId, assigneeId, after, capacity.capacity);
  return over;
}

function validSkills(caseId: string, skills: readonly Skill[]): readonly Skill[] {
  const names = skills.map((skill) => skill.name.trim());
  skills.forEach((skill, i) => {
    if (!validSkill(skill) || names.indexOf(names[i] ?? '') !== i) throw new CaseSkillInvalidError(caseId, skill.name);
  });
  return skills.map((skill) => ({ name: skill.name.trim(), level: skill.level }));
}

// ---------------------------------------------------------------------------------------------
// One function per command.

/** The registration's content, normalised; the arrival instant and who sent it are not part of it. */
function registrationOf(command: RegisterCase): Omit<CaseRegistered['data'], 'caseId' | 'actorId' | 'at' | 'receivedAt'> {
  const { caseId, queueId, unitId, title, description, priority, channel, requiredSkills, preferredSkills, externalRef } = command.data;
  if (blank(title)) throw new CaseTitleRequiredError(caseId);
  if (blank(queueId)) throw new CaseRoutingDataRequiredError(caseId, 'queueId');
  if (blank(unitId)) throw new CaseRoutingDataRequiredError(caseId, 'unitId');
  if (blank(channel)) throw new CaseRoutingDataRequiredError(caseId, 'channel');
  if (!isPriority(priority)) throw new CasePriorityInvalidError(caseId, priority);
  return {
    queueId,
    unitId,
    title: title.trim(),
    description: blank(description) ? null : (description?.trim() ?? null),
    priority,
    channel: channel.trim(),
    requiredSkills: validSkills(caseId, requiredSkills),
    preferredSkills: validSkills(caseId, preferredSkills),
    externalRef: blank(externalRef) ? null : (externalRef?.trim() ?? null),
  };
}

function register(command: RegisterCase, state: CaseState): Events {
  const { caseId, actorId, at, receivedAt } = command.data;
  const registration = registrationOf(command);
  if (state.status !== 'none') {
    // A retry (REST without its idempotency record, a redelivered intake message) is a no-op; the
    // arrival instant is the receiver's, so a retry's later one does not make it another case.
    const { requiredSkills, preferredSkills, ...rest } = registration;
    const same =
      (Object.keys(rest) as (keyof typeof rest)[]).every((key) => rest[key] === state[key]) &&
      sameSkills(requiredSkills, state.requiredSkills) &&
      sameSkills(preferredSkills, state.preferredSkills);
    if (same) return [];
    throw new CaseAlreadyExistsError(caseId);
  }
  requireInstant(caseId, receivedAt, 'receivedAt');
  return [{ type: 'CaseRegistered', data: { caseId, actorId, at, ...registration, receivedAt } }];
}

function offer(command: OfferCase, state: CaseState): Events {
  const { caseId, at, stamp, agentId, expiresAt, explanation } = command.data;
  const current = existing(state, caseId);
  // The router's retry of the offer it made is a no-op; anything else needs a waiting case.
  if (current.status === 'offered' && current.offer?.agentId === agentId && current.offer.expiresAt === expiresAt) return [];
  if (current.status !== 'queued') throw new CaseNotQueuedError(caseId, current.status);
  requireStamp(caseId, stamp);
  requireInstant(caseId, expiresAt, 'expiresAt');
  if (!earlier(at, expiresAt)) throw new OfferExpiryInvalidError(caseId, expiresAt);
  if (current.declinedBy.includes(agentId)) throw new OfferToDeclinerError(caseId, agentId);
  return [{ type: 'CaseOffered', data: { caseId, actorId: stamp.actorId, at, stamp, agentId, expiresAt, explanation } }];
}

function accept(command: AcceptOffer, state: CaseState): Events {
  const { caseId, actorId, at } = command.data;
  const current = existing(state, caseId);
  // A retried acceptance finds the case in the agent's hands already.
  if (current.status === 'assigned' && current.assigneeId === actorId) return [];
  if (current.status !== 'offered' || current.offer === null) throw new OfferNotPendingError(caseId);
  if (current.offer.agentId !== actorId) throw new NotOfferedAgentError(caseId, actorId);
  if (!earlier(at, current.offer.expiresAt)) throw new OfferExpiredError(caseId, current.offer.expiresAt);
  return [{ type: 'CaseOfferAccepted', data: { caseId, actorId, at, agentId: actorId } }];
}

function decline(command: DeclineOffer, state: CaseState): Events {
  const { caseId, actorId, at } = command.data;
  const current = existing(state, caseId);
  const pendingForActor = current.status === 'offered' && current.offer?.agentId === actorId;
  // A retried decline: the agent declined already and the case is no longer theirs to answer.
  if (!pendingForActor && current.declinedBy.includes(actorId)) return [];
  if (current.status !== 'offered' || current.offer === null) throw new OfferNotPendingError(caseId);
  if (!pendingForActor) throw new NotOfferedAgentError(caseId, actorId);
  const reason = requireReason(caseId, command.data.reason, 'declining');
  return [{ type: 'CaseOfferDeclined', data: { caseId, actorId, at, agentId: actorId, reason } }];
}

function expire(command: ExpireOffer, state: CaseState): Events {
  const { caseId, actorId, at, agentId, expiresAt } = command.data;
  const current = existing(state, caseId);
  // The timer races the agent's answer and later offers: an offer that is not pending any more is over already.
  if (current.status !== 'offered' || current.offer?.agentId !== agentId || current.offer.expiresAt !== expiresAt) return [];
  if (earlier(at, expiresAt)) throw new OfferNotExpiredError(caseId, expiresAt);
  return [{ type: 'CaseOfferExpired', data: { caseId, actorId, at, agentId, expiresAt } }];
}

function assign(command: AssignCase, state: CaseState): Events {
  const { caseId, at, stamp, assigneeId, frameworkViolations } = command.data;
  const current = existing(state, caseId);
  requireOpen(current, 'assign');
  if (current.status === 'assigned') {
    if (current.assigneeId === assigneeId) return [];
    throw new CaseAlreadyAssignedError(caseId, current.assigneeId ?? '');
  }
  requireStamp(caseId, stamp);
  const reason = requireReason(caseId, command.data.reason, 'assigning');
  requireWithinFramework(caseId, frameworkViolations);
  const over = overCapacity(command, current.queueId);
  const warnings = warningsAfter(caseId, 'assigned', stamp, at, frameworkViolations);
  return [{ type: 'CaseAssigned', data: { caseId, actorId: stamp.actorId, at, stamp, assigneeId, reason, overCapacity: over } }, ...warnings];
}

function reassign(command: ReassignCase, state: CaseState): Events {
  const { caseId, at, stamp, assigneeId, frameworkViolations } = command.data;
  const current = existing(state, caseId);
  requireOpen(current, 'reassign');
  if (current.status !== 'assigned' || current.assigneeId === null) throw new CaseNotAssignedError(caseId, current.status);
  if (current.assigneeId === assigneeId) return [];
  requireStamp(caseId, stamp);
  const reason = requireReason(caseId, command.data.reason, 'reassigning');
  requireWithinFramework(caseId, frameworkViolations);
  const over = overCapacity(command, current.queueId);
  const warnings = warningsAfter(caseId, 'reassigned', stamp, at, frameworkViolations);
  const previousAssigneeId = current.assigneeId;
  return [{ type: 'CaseReassigned', data: { caseId, actorId: stamp.actorId, at, stamp, assigneeId, previousAssigneeId, reason, overCapacity: over } }, ...warnings];
}

function prioritise(command: PrioritiseCase, state: CaseState): Events {
  const { caseId, at, stamp, priority, frameworkViolations } = command.data;
  const current = existing(state, caseId);
  requireOpen(current, 'prioritise');
  if (!isPriority(priority)) throw new CasePriorityInvalidError(caseId, priority);
  if (current.priority === priority) return [];
  requireStamp(caseId, stamp);
  const reason = requireReason(caseId, command.data.reason, 'prioritising');
  const warnings = warningsAfter(caseId, 'prioritised', stamp, at, frameworkViolations);
  return [{ type: 'CasePrioritised', data: { caseId, actorId: stamp.actorId, at, stamp, priority, previousPriority: current.priority, reason } }, ...warnings];
}

function resolve(command: ResolveCase, state: CaseState): Events {
  const { caseId, actorId, at, resolution } = command.data;
  const current = existing(state, caseId);
  if (current.status === 'resolved') return [];
  // Who may resolve (the assignee, a manager) is the application's authority check; the case only needs to be in someone's hands.
  if (current.status !== 'assigned') throw new CaseNotAssignedError(caseId, current.status);
  return [{ type: 'CaseResolved', data: { caseId, actorId, at, resolution: blank(resolution) ? null : (resolution?.trim() ?? null) } }];
}

function overflow(command: OverflowCase, state: CaseState): Events {
  const { caseId, at, stamp, to, frameworkViolations } = command.data;
  const current = existing(state, caseId);
  // Escalating a case the formal manager has already is a no-op (a second routing run found nobody either).
  if ('formalManager' in to && current.escalatedToFormalManager && current.status === 'queued') return [];
  if (current.status !== 'queued') throw new CaseNotQueuedError(caseId, current.status);
  if ('queueId' in to && to.queueId === current.queueId) throw new OverflowSameQueueError(caseId, to.queueId);
  requireStamp(caseId, stamp);
  const why = requireReason(caseId, command.data.why, 'overflowing');
  const warnings = warningsAfter(caseId, 'overflowed', stamp, at, frameworkViolations);
  return [{ type: 'CaseOverflowed', data: { caseId, actorId: stamp.actorId, at, stamp, fromQueueId: current.queueId, to, why } }, ...warnings];
}

/** True when the target is met already: no risk or breach is recorded for it any more. */
function targetMet(current: ExistingCase, target: MarkSlaAtRisk['data']['target']): boolean {
  return target === 'first-response' ? current.firstResponseAt !== null : current.resolvedAt !== null;
}

function markAtRisk(command: MarkSlaAtRisk, state: CaseState): Events {
  const { caseId, actorId, at, target, dueAt } = command.data;
  const current = existing(state, caseId);
  // Once per target; the scheduler may race the response, and a breach supersedes the risk.
  if (current.slaAtRisk.includes(target) || current.slaBreached.includes(target) || targetMet(current, target)) return [];
  requireInstant(caseId, dueAt, 'dueAt');
  return [{ type: 'CaseSlaAtRisk', data: { caseId, actorId, at, target, dueAt } }];
}

function recordBreach(command: RecordSlaBreach, state: CaseState): Events {
  const { caseId, actorId, at, target, dueAt } = command.data;
  const current = existing(state, caseId);
  if (current.slaBreached.includes(target) || targetMet(current, target)) return [];
  requireInstant(caseId, dueAt, 'dueAt');
  if (earlier(at, dueAt)) throw new SlaNotDueError(caseId, dueAt);
  return [{ type: 'CaseSlaBreached', data: { caseId, actorId, at, target, dueAt } }];
}

export function decideCase(command: CaseCommand, state: CaseState): Events {
  switch (command.type) {
    case 'RegisterCase':
      return register(command, state);
    case 'OfferCase':
      return offer(command, state);
    case 'AcceptOffer':
      return accept(command, state);
    case 'DeclineOffer':
      return decline(command, state);
    case 'ExpireOffer':
      return expire(command, state);
    case 'AssignCase':
      return assign(command, state);
    case 'ReassignCase':
      return reassign(command, state);
    case 'PrioritiseCase':
      return prioritise(command, state);
    case 'ResolveCase':
      return resolve(command, state);
    case 'OverflowCase':
      return overflow(command, state);
    case 'MarkSlaAtRisk':
      return markAtRisk(command, state);
    case 'RecordSlaBreach':
      return recordBreach(command, state);
    default:
      return assertNever(command);
  }
}

/** The case aggregate as a decider (stream `case-<id>`, see `caseStreamName`); its version is the stream revision. */
export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveCase,
  decide: decideCase,
};
