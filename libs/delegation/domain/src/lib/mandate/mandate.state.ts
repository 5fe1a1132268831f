import { assertNever } from '@leadership/kernel';
import { uniqueSorted } from '../shared/collections';
import type { MandateEndReason, ReconfirmationReason, SuspensionWindow } from './mandate';
import type { MandateEvent, MandateTerms } from './mandate.events';

export type MandateStatus = 'proposed' | 'accepted' | 'active' | 'suspended' | 'declined' | 'ended';

/** Set while a mandate awaits a formal manager's confirmation (its delegator lost their basis). */
export interface Reconfirmation {
  readonly flaggedAt: string;
  readonly reason: ReconfirmationReason;
  /** The delegator at the time of flagging. */
  readonly delegatorId: string;
}

/** What every existing mandate knows, whatever its status. */
export interface MandateCore extends MandateTerms {
  readonly mandateId: string;
  /** Added authorities awaiting the delegate's acceptance; not in force. */
  readonly pendingAuthorities: readonly string[];
  readonly proposedAt: string;
  readonly acceptedAt: string | null;
  /** First time the mandate came into force. */
  readonly activatedAt: string | null;
  readonly lastCheckInAt: string | null;
  /** Every suspension, oldest first; answers "was it suspended at T?". */
  readonly suspensions: readonly SuspensionWindow[];
  readonly reconfirmation: Reconfirmation | null;
}

export interface ProposedMandate extends MandateCore {
  readonly status: 'proposed';
}
/** Accepted by the delegate, waiting for `from`. */
export interface AcceptedMandate extends MandateCore {
  readonly status: 'accepted';
  readonly acceptedAt: string;
}
export interface ActiveMandate extends MandateCore {
  readonly status: 'active';
  readonly acceptedAt: string;
  readonly activatedAt: string;
}
export interface SuspendedMandate extends MandateCore {
  readonly status: 'suspended';
  readonly acceptedAt: string;
  readonly activatedAt: string;
}
export interface DeclinedMandate extends MandateCore {
  readonly status: 'declined';
  readonly declinedAt: string;
  readonly declineReason: string;
}
export interface EndedMandate extends MandateCore {
  readonly status: 'ended';
  readonly endedAt: string;
  readonly endReason: MandateEndReason;
  readonly endedBy: string;
  /** The reason (revoked, relinquished) or note (completed) given; null for expiry. */
  readonly endNote: string | null;
}

export type ExistingMandate =
  | ProposedMandate
  | AcceptedMandate
  | ActiveMandate
  | SuspendedMandate
  | DeclinedMandate
  | EndedMandate;

/** State of a mandate stream; `none` before MandateProposed. */
export type MandateState = { readonly status: 'none' } | ExistingMandate;

/** The fields shared by all statuses, without the status-specific ones (so a transition drops them). */
function core(state: ExistingMandate): MandateCore {
  return {
    mandateId: state.mandateId,
    delegatorId: state.delegatorId,
    delegateId: state.delegateId,
    taskType: state.taskType,
    scope: state.scope,
    direction: state.direction,
    framework: state.framework,
    authorities: state.authorities,
    period: state.period,
    reviewCadenceDays: state.reviewCadenceDays,
    deputyId: state.deputyId,
    basis: state.basis,
    pendingAuthorities: state.pendingAuthorities,
    proposedAt: state.proposedAt,
    acceptedAt: state.acceptedAt,
    activatedAt: state.activatedAt,
    lastCheckInAt: state.lastCheckInAt,
    suspensions: state.suspensions,
    reconfirmation: state.reconfirmation,
  };
}

function closeOpenSuspension(suspensions: readonly SuspensionWindow[], at: string): readonly SuspensionWindow[] {
  return suspensions.map((window) => (window.until === null ? { ...window, until: at } : window));
}

function ended(state: ExistingMandate, at: string, endedBy: string, endReason: MandateEndReason, endNote: string | null): EndedMandate {
  const base = core(state);
  return { ...base, status: 'ended', endedAt: at, endedBy, endReason, endNote, suspensions: closeOpenSuspension(base.suspensions, at) };
}

/**
 * Folds one event into the state. Events that do not fit the state (which the decider never
 * produces) leave it unchanged rather than throw: a projection must be able to replay any stream.
 */
export function evolveMandate(state: MandateState, event: MandateEvent): MandateState {
  if (event.type === 'MandateProposed') {
    const { actorId: _actorId, at, ...terms } = event.data;
    return {
      ...terms,
      status: 'proposed',
      pendingAuthorities: [],
      proposedAt: at,
      acceptedAt: null,
      activatedAt: null,
      lastCheckInAt: null,
      suspensions: [],
      reconfirmation: null,
    };
  }
  if (state.status === 'none') return state;
  const { at, actorId } = event.data;
  switch (event.type) {
    case 'MandateAccepted':
      return state.status === 'proposed' ? { ...core(state), status: 'accepted', acceptedAt: at } : state;
    case 'MandateDeclined':
      return { ...core(state), status: 'declined', declinedAt: at, declineReason: event.data.reason };
    case 'MandateActivated':
      return state.status === 'accepted' ? { ...core(state), status: 'active', acceptedAt: state.acceptedAt, activatedAt: at } : state;
    case 'MandateAmended':
      return { ...state, ...event.data.changes };
    case 'MandateExpansionProposed':
      return { ...state, pendingAuthorities: event.data.authorities };
    case 'MandateExpansionWithdrawn':
    case 'MandateExpansionDeclined':
      return { ...state, pendingAuthorities: [] };
    case 'MandateExpansionAccepted':
      return { ...state, authorities: uniqueSorted([...state.authorities, ...event.data.authorities]), pendingAuthorities: [] };
    case 'MandateExtended':
      return { ...state, period: { ...state.period, until: event.data.until } };
    case 'MandateSuspended':
      return state.status === 'active'
        ? { ...state, status: 'suspended', suspensions: [...state.suspensions, { from: at, until: null, reason: event.data.reason }] }
        : state;
    case 'MandateResumed':
      return state.status === 'suspended'
        ? { ...state, status: 'active', suspensions: closeOpenSuspension(state.suspensions, at) }
        : state;
    case 'MandateRevoked':
      return ended(state, at, actorId, 'revoked', event.data.reason);
    case 'MandateRelinquished':
      return ended(state, at, actorId, 'relinquished', event.data.reason);
    case 'MandateExpired':
      return ended(state, at, actorId, 'expired', null);
    case 'MandateCompleted':
      return ended(state, at, actorId, 'completed', event.data.note);
    case 'MandateCheckInRecorded':
      return { ...state, lastCheckInAt: at };
    case 'MandateFlaggedForReconfirmation':
      return { ...state, reconfirmation: { flaggedAt: at, reason: event.data.reason, delegatorId: event.data.delegatorId } };
    case 'MandateConfirmed':
      return { ...state, delegatorId: actorId, basis: { kind: 'formal-manager' }, reconfirmation: null };
    default:
      return assertNever(event);
  }
}
