import { assertNever, type Decider } from '@leadership/kernel';
import { diffFields, difference, intersection, jsonEqual, sameSet, uniqueSorted } from '../shared/collections';
import { daysToMillis, fromMillis, isAtOrAfter, isBefore, isIsoInstant, toMillis } from '../shared/instant';
import type { TaskTypeDefinition } from '../task-type/task-type';
import {
  MAX_REVIEW_CADENCE_DAYS,
  MIN_REVIEW_CADENCE_DAYS,
  scopeKey,
  type MandateBasis,
  type MandateDirection,
  type MandateFramework,
  type MandatePeriod,
} from './mandate';
import type {
  AcceptMandate,
  ActivateMandate,
  AmendMandate,
  CompleteMandate,
  ConfirmMandate,
  DeclineMandate,
  ExpireMandate,
  ExtendMandate,
  FlagMandateForReconfirmation,
  ManagerContext,
  MandateCommand,
  ProposeMandate,
  RecordCheckIn,
  RelinquishMandate,
  ResumeMandate,
  RevokeMandate,
  SuspendMandate,
} from './mandate.commands';
import {
  AuthorityNotGrantableError,
  DelegateNotMemberError,
  ExclusiveOverlapError,
  ExtensionNotLaterError,
  InvalidDeputyError,
  AmendmentRateLimitedError,
  InvalidFrameworkError,
  InvalidMandateTransitionError,
  InvalidPeriodError,
  InvalidReviewCadenceError,
  MandateAlreadyExistsError,
  MandateNotFoundError,
  MissingDirectionError,
  MissingFrameworkError,
  MissingReasonError,
  NoAuthoritiesError,
  NotDelegateError,
  NotFormalManagerError,
  NotPartyError,
  NotYetExpiredError,
  NotYetStartedError,
  PeriodEndedError,
  PeriodTooLongError,
  ProposerNotDelegatorError,
  RedelegationExceedsBasisError,
  RedelegationNotAllowedError,
  ScopeIncompleteError,
  SelfDelegationError,
  TaskTypeMismatchError,
} from './mandate.errors';
import type { MandateEvent, MandateTerms } from './mandate.events';
import { AMENDMENT_WINDOW_MS, evolveMandate, MAX_AMENDMENTS_PER_WINDOW, type ExistingMandate, type MandateState, type MandateStatus } from './mandate.state';

type Events = readonly MandateEvent[];

/** Statuses in which a mandate can still come into or stay in force. */
export const LIVE_MANDATE_STATUSES: readonly MandateStatus[] = ['proposed', 'accepted', 'active', 'suspended'];
/** Statuses after acceptance and before the end. */
const CONSENTED: readonly MandateStatus[] = ['accepted', 'active', 'suspended'];

// ---------------------------------------------------------------------------------------------
// Guards shared by the commands.

function existing(state: MandateState, mandateId: string): ExistingMandate {
  if (state.status === 'none') throw new MandateNotFoundError(mandateId);
  return state;
}

function requireStatus(state: ExistingMandate, allowed: readonly MandateStatus[], to: string, command: MandateCommand['type']): void {
  if (!allowed.includes(state.status)) throw new InvalidMandateTransitionError(state.mandateId, state.status, to, command);
}

/**
 * Formal managers of the scope unit manage every mandate in it; a delegate who re-delegated
 * manages the mandates they issued (their own basis is watched by the scheduler).
 */
function requireManager(state: ExistingMandate, actorId: string, context: ManagerContext, action: string): void {
  const isRedelegator = state.basis.kind === 'mandate' && actorId === state.delegatorId;
  if (!context.actorManagesUnit && !isRedelegator) throw new NotFormalManagerError(actorId, state.scope.unitId, action);
}

function requireDelegate(state: ExistingMandate, actorId: string, action: string): void {
  if (actorId !== state.delegateId) throw new NotDelegateError(actorId, state.mandateId, action);
}

function requireReason(state: ExistingMandate, reason: string, action: string): void {
  if (reason.trim().length === 0) throw new MissingReasonError(state.mandateId, action);
}

function requireTaskType(expected: string, taskType: TaskTypeDefinition): void {
  if (taskType.key !== expected) throw new TaskTypeMismatchError(expected, taskType.key);
}

// ---------------------------------------------------------------------------------------------
// Validation of terms (used on proposal and on amendment).

function validateAuthorities(mandateId: string, authorities: readonly string[], taskType: TaskTypeDefinition): readonly string[] {
  if (authorities.length === 0) throw new NoAuthoritiesError(mandateId);
  const notGrantable = difference(authorities, taskType.grantableAuthorities);
  if (notGrantable.length > 0) throw new AuthorityNotGrantableError(taskType.key, notGrantable);
  return uniqueSorted(authorities);
}

function validateDirection(mandateId: string, direction: MandateDirection): void {
  const blank = (text: string) => text.trim().length === 0;
  if (blank(direction.purpose) || direction.successCriteria.some(blank)) throw new MissingDirectionError(mandateId);
}

function validateFramework(mandateId: string, framework: MandateFramework): void {
  if (framework.rules.length === 0) throw new MissingFrameworkError(mandateId);
  const problem = (text: string) => new InvalidFrameworkError(mandateId, text);
  for (const rule of framework.rules) {
    if (rule.id.trim().length === 0 || rule.text.trim().length === 0) throw problem('a rule has a blank id or text');
    if (rule.mode !== 'warn' && rule.mode !== 'enforce') throw problem(`rule ${rule.id} has mode "${String(rule.mode)}"`);
  }
  const ids = framework.rules.map((rule) => rule.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw problem(`rule id ${duplicate} is used twice`);
  if (framework.reservedDecisions.some((text) => text.trim().length === 0)) throw problem('a reserved decision is blank');
  if (framework.escalationContactId.trim().length === 0) throw problem('no escalation contact');
}

function validateCadence(days: number): void {
  if (!Number.isInteger(days) || days < MIN_REVIEW_CADENCE_DAYS || days > MAX_REVIEW_CADENCE_DAYS) {
    throw new InvalidReviewCadenceError(days);
  }
}

function validateDeputy(deputyId: string | null, delegateId: string): void {
  if (deputyId !== null && deputyId === delegateId) throw new InvalidDeputyError(deputyId);
}

function validatePeriodLength(period: MandatePeriod, taskType: TaskTypeDefinition): void {
  if (toMillis(period.until) - toMillis(period.from) > daysToMillis(taskType.maxPeriodDays)) {
    throw new PeriodTooLongError(taskType.key, taskType.maxPeriodDays, period.from, period.until);
  }
}

/**
 * One case manager per queue: an exclusive task type refuses another live mandate on the same
 * scope with an overlapping period. Exported because the application learns of the overlap only
 * when it claims the scope, after the decision on every other rule (so a refused proposal leaves
 * no claim behind); it then applies this same guard instead of deciding a second time.
 */
export function refuseExclusiveOverlap(taskType: TaskTypeDefinition, terms: Pick<MandateTerms, 'scope'>, otherMandateId: string | undefined): void {
  if (taskType.exclusive && otherMandateId !== undefined) {
    throw new ExclusiveOverlapError(taskType.key, scopeKey(terms.scope), otherMandateId);
  }
}

// ---------------------------------------------------------------------------------------------
// One function per command.

function termsOf(command: ProposeMandate, basis: MandateBasis): MandateTerms {
  const { delegatorId, delegateId, taskType, scope, direction, framework, authorities, period, reviewCadenceDays, deputyId } =
    command.data;
  return {
    delegatorId,
    delegateId,
    taskType,
    scope,
    direction,
    framework,
    authorities: uniqueSorted(authorities),
    period,
    reviewCadenceDays,
    deputyId: deputyId ?? null,
    basis,
  };
}

function basisOf(command: ProposeMandate): MandateBasis {
  const { context, delegatorId, authorities, period } = command.data;
  if (context.delegatorManagesUnit) return { kind: 'formal-manager' };
  const held = context.delegatorMandate;
  if (held === undefined) throw new NotFormalManagerError(delegatorId, command.data.scope.unitId, 'propose a mandate');
  if (!context.taskType.allowsRedelegation) throw new RedelegationNotAllowedError(context.taskType.key, held.mandateId);
  const excess = difference(authorities, held.authorities);
  const outlasts = isIsoInstant(period.until) && isBefore(held.until, period.until);
  if (excess.length > 0 || outlasts) throw new RedelegationExceedsBasisError(held.mandateId, excess, outlasts);
  return { kind: 'mandate', mandateId: held.mandateId };
}

function propose(command: ProposeMandate, state: MandateState): Events {
  const { mandateId, actorId, at, delegatorId, delegateId, scope, period, context } = command.data;
  if (state.status !== 'none') {
    // A retried proposal is a no-op; reusing the id for other terms is a conflict.
    if (jsonEqual(termsOf(command, state.basis), pickTerms(state))) return [];
    throw new MandateAlreadyExistsError(mandateId);
  }
  if (actorId !== delegatorId) throw new ProposerNotDelegatorError(actorId, delegatorId);
  requireTaskType(command.data.taskType, context.taskType);
  if (delegatorId === delegateId) throw new SelfDelegationError(delegatorId);
  const basis = basisOf(command);
  if (!context.delegateIsMemberOfUnit) throw new DelegateNotMemberError(delegateId, scope.unitId);
  if (context.taskType.requiredScope === 'queue' && !scope.queueId) throw new ScopeIncompleteError(context.taskType.key, 'queue');
  if (context.taskType.requiredScope === 'project' && !scope.projectId) throw new ScopeIncompleteError(context.taskType.key, 'project');
  const terms = termsOf(command, basis);
  validateAuthorities(mandateId, terms.authorities, context.taskType);
  validateDirection(mandateId, terms.direction);
  validateFramework(mandateId, terms.framework);
  if (!isIsoInstant(period.from) || !isIsoInstant(period.until) || !isBefore(period.from, period.until)) {
    throw new InvalidPeriodError(period.from, period.until);
  }
  validatePeriodLength(period, context.taskType);
  if (isAtOrAfter(at, period.until)) throw new PeriodEndedError(mandateId, period.until, at);
  validateCadence(terms.reviewCadenceDays);
  validateDeputy(terms.deputyId, delegateId);
  refuseExclusiveOverlap(context.taskType, terms, context.overlappingExclusiveMandateId);
  return [{ type: 'MandateProposed', data: { mandateId, actorId, at, ...terms } }];
}

function pickTerms(state: ExistingMandate): MandateTerms {
  const { delegatorId, delegateId, taskType, scope, direction, framework, authorities, period, reviewCadenceDays, deputyId, basis } =
    state;
  return { delegatorId, delegateId, taskType, scope, direction, framework, authorities, period, reviewCadenceDays, deputyId, basis };
}

function accept(command: AcceptMandate, state: MandateState): Events {
  const { mandateId, actorId, at } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, LIVE_MANDATE_STATUSES, 'accepted', command.type);
  requireDelegate(mandate, actorId, 'accept it');
  if (mandate.status !== 'proposed') {
    // Consent to a pending expansion; with nothing pending a repeated acceptance changes nothing.
    if (mandate.pendingAuthorities.length === 0) return [];
    return [{ type: 'MandateExpansionAccepted', data: { mandateId, actorId, at, authorities: mandate.pendingAuthorities } }];
  }
  if (isAtOrAfter(at, mandate.period.until)) throw new PeriodEndedError(mandateId, mandate.period.until, at);
  const accepted: MandateEvent = { type: 'MandateAccepted', data: { mandateId, actorId, at } };
  // Accepted after `from`: in force at once rather than waiting for the scheduler's next run.
  return isAtOrAfter(at, mandate.period.from) ? [accepted, { type: 'MandateActivated', data: { mandateId, actorId, at } }] : [accepted];
}

function decline(command: DeclineMandate, state: MandateState): Events {
  const { mandateId, actorId, at, reason } = command.data;
  const mandate = existing(state, mandateId);
  const declinesExpansion = CONSENTED.includes(mandate.status) && mandate.pendingAuthorities.length > 0;
  if (!declinesExpansion) requireStatus(mandate, ['proposed', 'declined'], 'declined', command.type);
  requireDelegate(mandate, actorId, 'decline it');
  if (mandate.status === 'declined') return [];
  requireReason(mandate, reason, 'decline');
  if (declinesExpansion) {
    return [{ type: 'MandateExpansionDeclined', data: { mandateId, actorId, at, reason, authorities: mandate.pendingAuthorities } }];
  }
  return [{ type: 'MandateDeclined', data: { mandateId, actorId, at, reason } }];
}

/** The rate limit of amendments (a no-op amendment is not counted: it records nothing). */
function requireAmendmentAllowance(mandate: ExistingMandate, at: string): void {
  const recent = mandate.recentAmendments ?? [];
  if (recent.length < MAX_AMENDMENTS_PER_WINDOW) return;
  const oldest = toMillis(recent[recent.length - MAX_AMENDMENTS_PER_WINDOW] ?? at);
  if (toMillis(at) - oldest < AMENDMENT_WINDOW_MS) {
    throw new AmendmentRateLimitedError(mandate.mandateId, MAX_AMENDMENTS_PER_WINDOW, AMENDMENT_WINDOW_MS, fromMillis(oldest + AMENDMENT_WINDOW_MS));
  }
}

function amend(command: AmendMandate, state: MandateState): Events {
  const { mandateId, actorId, at, changes: requested, context } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, LIVE_MANDATE_STATUSES, 'amended', command.type);
  requireManager(mandate, actorId, context, 'amend it');
  requireTaskType(mandate.taskType, context.taskType);
  if (requested.direction) validateDirection(mandateId, requested.direction);
  if (requested.framework) validateFramework(mandateId, requested.framework);
  if (requested.reviewCadenceDays !== undefined) validateCadence(requested.reviewCadenceDays);
  if (requested.deputyId !== undefined) validateDeputy(requested.deputyId, mandate.delegateId);
  let inForce = mandate.authorities;
  let pending = mandate.pendingAuthorities;
  if (requested.authorities !== undefined) {
    const target = validateAuthorities(mandateId, requested.authorities, context.taskType);
    // Before acceptance the delegate has consented to nothing yet: the new set simply replaces the old.
    // After it, reductions apply at once and additions wait for consent.
    inForce = mandate.status === 'proposed' ? target : intersection(mandate.authorities, target);
    pending = mandate.status === 'proposed' ? [] : difference(target, mandate.authorities);
  }
  const next = {
    authorities: inForce,
    direction: requested.direction ?? mandate.direction,
    framework: requested.framework ?? mandate.framework,
    deputyId: requested.deputyId === undefined ? mandate.deputyId : requested.deputyId,
    reviewCadenceDays: requested.reviewCadenceDays ?? mandate.reviewCadenceDays,
  };
  const { changes, previous, changed } = diffFields(mandate, { ...mandate, ...next }, [
    'authorities',
    'direction',
    'framework',
    'deputyId',
    'reviewCadenceDays',
  ]);
  const events: MandateEvent[] = [];
  if (changed.length > 0) {
    requireAmendmentAllowance(mandate, at);
    events.push({ type: 'MandateAmended', data: { mandateId, actorId, at, changes, previous } });
  }
  if (!sameSet(pending, mandate.pendingAuthorities)) {
    events.push(
      pending.length > 0
        ? { type: 'MandateExpansionProposed', data: { mandateId, actorId, at, authorities: pending } }
        : { type: 'MandateExpansionWithdrawn', data: { mandateId, actorId, at, authorities: mandate.pendingAuthorities } },
    );
  }
  return events;
}

function extend(command: ExtendMandate, state: MandateState): Events {
  const { mandateId, actorId, at, newUntil, context } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, LIVE_MANDATE_STATUSES, 'extended', command.type);
  requireManager(mandate, actorId, context, 'extend it');
  requireTaskType(mandate.taskType, context.taskType);
  const { from, until } = mandate.period;
  if (!isIsoInstant(newUntil)) throw new InvalidPeriodError(from, newUntil);
  if (toMillis(newUntil) === toMillis(until)) return [];
  if (isBefore(newUntil, until)) throw new ExtensionNotLaterError(mandateId, until, newUntil);
  // Once the period is over the mandate has lapsed; reviving it would rewrite who held what when.
  if (isAtOrAfter(at, until)) throw new PeriodEndedError(mandateId, until, at);
  validatePeriodLength({ from, until: newUntil }, context.taskType);
  refuseExclusiveOverlap(context.taskType, mandate, context.overlappingExclusiveMandateId);
  return [{ type: 'MandateExtended', data: { mandateId, actorId, at, previousUntil: until, until: newUntil } }];
}

function suspend(command: SuspendMandate, state: MandateState): Events {
  const { mandateId, actorId, at, reason, context } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, ['active', 'suspended'], 'suspended', command.type);
  requireManager(mandate, actorId, context, 'suspend it');
  if (mandate.status === 'suspended') return [];
  requireReason(mandate, reason, 'suspend');
  return [{ type: 'MandateSuspended', data: { mandateId, actorId, at, reason } }];
}

function resume(command: ResumeMandate, state: MandateState): Events {
  const { mandateId, actorId, at, context } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, ['active', 'suspended'], 'active', command.type);
  requireManager(mandate, actorId, context, 'resume it');
  if (mandate.status === 'active') return [];
  if (isAtOrAfter(at, mandate.period.until)) throw new PeriodEndedError(mandateId, mandate.period.until, at);
  return [{ type: 'MandateResumed', data: { mandateId, actorId, at } }];
}

/** Ending twice for the same reason is a no-op; ending an ended mandate for another reason is not. */
function alreadyEndedFor(mandate: ExistingMandate, reason: 'revoked' | 'relinquished' | 'completed', command: MandateCommand['type']): boolean {
  if (mandate.status !== 'ended') return false;
  if (mandate.endReason !== reason) throw new InvalidMandateTransitionError(mandate.mandateId, 'ended', `ended (${reason})`, command);
  return true;
}

function revoke(command: RevokeMandate, state: MandateState): Events {
  const { mandateId, actorId, at, reason, context } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, [...LIVE_MANDATE_STATUSES, 'ended'], 'ended', command.type);
  if (alreadyEndedFor(mandate, 'revoked', command.type)) return [];
  requireManager(mandate, actorId, context, 'revoke it');
  requireReason(mandate, reason, 'revoke');
  return [{ type: 'MandateRevoked', data: { mandateId, actorId, at, reason } }];
}

function relinquish(command: RelinquishMandate, state: MandateState): Events {
  const { mandateId, actorId, at, reason } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, [...CONSENTED, 'ended'], 'ended', command.type);
  if (alreadyEndedFor(mandate, 'relinquished', command.type)) return [];
  requireDelegate(mandate, actorId, 'relinquish it');
  requireReason(mandate, reason, 'relinquish');
  return [{ type: 'MandateRelinquished', data: { mandateId, actorId, at, reason } }];
}

function complete(command: CompleteMandate, state: MandateState): Events {
  const { mandateId, actorId, at, context } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, ['active', 'suspended', 'ended'], 'ended', command.type);
  if (alreadyEndedFor(mandate, 'completed', command.type)) return [];
  requireManager(mandate, actorId, context, 'complete it');
  return [{ type: 'MandateCompleted', data: { mandateId, actorId, at, note: command.data.note ?? null } }];
}

function expire(command: ExpireMandate, state: MandateState): Events {
  const { mandateId, actorId, at } = command.data;
  const mandate = existing(state, mandateId);
  // The scheduler may race a revocation or a decline: expiring what is over already is a no-op.
  if (mandate.status === 'ended' || mandate.status === 'declined') return [];
  const { until } = mandate.period;
  if (isBefore(at, until)) throw new NotYetExpiredError(mandateId, until, at);
  return [{ type: 'MandateExpired', data: { mandateId, actorId, at, until } }];
}

function activate(command: ActivateMandate, state: MandateState): Events {
  const { mandateId, actorId, at } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, ['accepted', 'active', 'suspended'], 'active', command.type);
  if (mandate.status !== 'accepted') return [];
  if (isBefore(at, mandate.period.from)) throw new NotYetStartedError(mandateId, mandate.period.from, at);
  if (isAtOrAfter(at, mandate.period.until)) throw new PeriodEndedError(mandateId, mandate.period.until, at);
  return [{ type: 'MandateActivated', data: { mandateId, actorId, at } }];
}

function recordCheckIn(command: RecordCheckIn, state: MandateState): Events {
  const { mandateId, actorId, at, note } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, CONSENTED, 'checked-in', command.type);
  if (actorId !== mandate.delegateId && actorId !== mandate.delegatorId) throw new NotPartyError(actorId, mandateId);
  return [{ type: 'MandateCheckInRecorded', data: { mandateId, actorId, at, note } }];
}

function flag(command: FlagMandateForReconfirmation, state: MandateState): Events {
  const { mandateId, actorId, at, reason } = command.data;
  const mandate = existing(state, mandateId);
  // Nothing to reconfirm once over, or while a flag is already open.
  if (!LIVE_MANDATE_STATUSES.includes(mandate.status) || mandate.reconfirmation !== null) return [];
  return [{ type: 'MandateFlaggedForReconfirmation', data: { mandateId, actorId, at, reason, delegatorId: mandate.delegatorId } }];
}

function confirm(command: ConfirmMandate, state: MandateState): Events {
  const { mandateId, actorId, at, context } = command.data;
  const mandate = existing(state, mandateId);
  requireStatus(mandate, LIVE_MANDATE_STATUSES, 'confirmed', command.type);
  // Only a formal manager may take over: a re-delegator confirming their own mandate would confirm nothing.
  if (!context.actorManagesUnit) throw new NotFormalManagerError(actorId, mandate.scope.unitId, 'confirm it');
  if (mandate.reconfirmation === null) return [];
  if (actorId === mandate.delegateId) throw new SelfDelegationError(actorId);
  return [{ type: 'MandateConfirmed', data: { mandateId, actorId, at, previousDelegatorId: mandate.delegatorId } }];
}

export function decideMandate(command: MandateCommand, state: MandateState): Events {
  switch (command.type) {
    case 'ProposeMandate':
      return propose(command, state);
    case 'AcceptMandate':
      return accept(command, state);
    case 'DeclineMandate':
      return decline(command, state);
    case 'AmendMandate':
      return amend(command, state);
    case 'ExtendMandate':
      return extend(command, state);
    case 'SuspendMandate':
      return suspend(command, state);
    case 'ResumeMandate':
      return resume(command, state);
    case 'RevokeMandate':
      return revoke(command, state);
    case 'RelinquishMandate':
      return relinquish(command, state);
    case 'ExpireMandate':
      return expire(command, state);
    case 'CompleteMandate':
      return complete(command, state);
    case 'ActivateMandate':
      return activate(command, state);
    case 'RecordCheckIn':
      return recordCheckIn(command, state);
    case 'FlagMandateForReconfirmation':
      return flag(command, state);
    case 'ConfirmMandate':
      return confirm(command, state);
    default:
      return assertNever(command);
  }
}

/** The mandate aggregate (stream `delegation-<mandateId>`); its version is the stream revision. */
export const mandateDecider: Decider<MandateCommand, MandateEvent, MandateState> = {
  initialState: () => ({ status: 'none' }),
  decide: decideMandate,
  evolve: evolveMandate,
};
