import { assertNever } from '@leadership/kernel';
import type { DecisionStamp, Priority, Skill } from '../shared/case-vocabulary';
import type { RoutingExplanation } from '../routing/routing-explanation';
import type { FrameworkViolation } from '../framework/framework-rules';
import type { SlaTargetKind } from './case.commands';
import type { CaseDecisionKind, CaseEvent } from './case.events';

export type CaseStatus = 'queued' | 'offered' | 'assigned' | 'resolved';

/** One decision on the case with the authority it relied on (what `GET /cases/{id}` lists). */
export interface CaseDecision {
  readonly kind: CaseDecisionKind;
  readonly actorId: string;
  readonly basis: DecisionStamp['basis'];
  readonly mandateId: string | null;
  readonly mandateVersion: number | null;
  readonly at: string;
  /** The reason given, the overflow's why, or the routing rule of an offer. */
  readonly reason: string | null;
}

/** The pending offer of an offered case. */
export interface CaseOffer {
  readonly agentId: string;
  readonly offeredAt: string;
  readonly expiresAt: string;
}

/** One automatic routing decision, for `GET /cases/{id}/routing`. */
export interface CaseRoutingRecord {
  readonly at: string;
  readonly agentId: string;
  readonly explanation: RoutingExplanation;
}

/** A decision that went ahead with `warn`-mode violations of its mandate's framework. */
export interface CaseFrameworkWarning {
  readonly at: string;
  readonly decision: CaseDecisionKind;
  readonly actorId: string;
  readonly violations: readonly FrameworkViolation[];
}

/** A registered case. */
export interface ExistingCase {
  readonly status: CaseStatus;
  readonly caseId: string;
  readonly queueId: string;
  readonly unitId: string;
  readonly title: string;
  readonly description: string | null;
  readonly priority: Priority;
  readonly channel: string;
  readonly requiredSkills: readonly Skill[];
  readonly preferredSkills: readonly Skill[];
  readonly externalRef: string | null;
  /** Arrival; never changes (a declined, expired or overflowed case keeps its age). */
  readonly receivedAt: string;
  readonly registeredBy: string;
  readonly offer: CaseOffer | null;
  readonly assigneeId: string | null;
  /** Agents who declined the case; the router does not offer it to them again. */
  readonly declinedBy: readonly string[];
  /** Queues the case has been in, first its own; overflow never sends it back to one of them. */
  readonly visitedQueueIds: readonly string[];
  /** Overflowed to the formal manager and not routed since (routing still picks it up when someone can take it). */
  readonly escalatedToFormalManager: boolean;
  /** First time the case was in someone's hands (accepted or assigned): the first-response SLA target. */
  readonly firstResponseAt: string | null;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
  /** SLA targets marked at risk or breached (each once). */
  readonly slaAtRisk: readonly SlaTargetKind[];
  readonly slaBreached: readonly SlaTargetKind[];
  readonly decisions: readonly CaseDecision[];
  readonly routing: readonly CaseRoutingRecord[];
  readonly frameworkWarnings: readonly CaseFrameworkWarning[];
}

/** State of a case stream: `none` until the case is registered. */
export type CaseState = { readonly status: 'none' } | ExistingCase;

function decision(kind: CaseDecisionKind, stamp: DecisionStamp, at: string, reason: string | null): CaseDecision {
  return { kind, actorId: stamp.actorId, basis: stamp.basis, mandateId: stamp.mandateId, mandateVersion: stamp.mandateVersion, at, reason };
}

function evolveExisting(state: ExistingCase, event: Exclude<CaseEvent, { type: 'CaseRegistered' }>): ExistingCase {
  switch (event.type) {
    case 'CaseOffered': {
      const { agentId, at, expiresAt, explanation, stamp } = event.data;
      return {
        ...state,
        status: 'offered',
        offer: { agentId, offeredAt: at, expiresAt },
        escalatedToFormalManager: false,
        decisions: [...state.decisions, decision('offered', stamp, at, explanation.rule)],
        routing: [...state.routing, { at, agentId, explanation }],
      };
    }
    case 'CaseOfferAccepted':
      return { ...state, status: 'assigned', offer: null, assigneeId: event.data.agentId, firstResponseAt: state.firstResponseAt ?? event.data.at };
    case 'CaseOfferDeclined':
      return { ...state, status: 'queued', offer: null, declinedBy: [...state.declinedBy, event.data.agentId] };
    case 'CaseOfferExpired':
      return { ...state, status: 'queued', offer: null };
    case 'CaseAssigned': {
      const { assigneeId, at, stamp, reason } = event.data;
      return {
        ...state,
        status: 'assigned',
        offer: null,
        assigneeId,
        escalatedToFormalManager: false,
        firstResponseAt: state.firstResponseAt ?? at,
        decisions: [...state.decisions, decision('assigned', stamp, at, reason)],
      };
    }
    case 'CaseReassigned': {
      const { assigneeId, at, stamp, reason } = event.data;
      return { ...state, assigneeId, decisions: [...state.decisions, decision('reassigned', stamp, at, reason)] };
    }
    case 'CasePrioritised': {
      const { priority, at, stamp, reason } = event.data;
      return { ...state, priority, decisions: [...state.decisions, decision('prioritised', stamp, at, reason)] };
    }
    case 'CaseResolved':
      return { ...state, status: 'resolved', offer: null, resolvedAt: event.data.at, resolution: event.data.resolution };
    case 'CaseOverflowed': {
      const { to, at, stamp, why } = event.data;
      const moved = 'queueId' in to ? { queueId: to.queueId, visitedQueueIds: [...state.visitedQueueIds, to.queueId], escalatedToFormalManager: false } : { escalatedToFormalManager: true };
      return { ...state, ...moved, decisions: [...state.decisions, decision('overflowed', stamp, at, why)] };
    }
    case 'CaseSlaAtRisk':
      return { ...state, slaAtRisk: [...state.slaAtRisk, event.data.target] };
    case 'CaseSlaBreached':
      return { ...state, slaBreached: [...state.slaBreached, event.data.target] };
    case 'CaseFrameworkWarningRecorded': {
      const { at, decision: kind, stamp, violations } = event.data;
      return { ...state, frameworkWarnings: [...state.frameworkWarnings, { at, decision: kind, actorId: stamp.actorId, violations }] };
    }
    default:
      return assertNever(event);
  }
}

/** Folds one event into the case: the one reader of the case stream (decider, read models, relay). */
export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'CaseRegistered') {
    const { caseId, actorId, at: _at, ...registration } = event.data;
    return {
      status: 'queued',
      caseId,
      ...registration,
      registeredBy: actorId,
      offer: null,
      assigneeId: null,
      declinedBy: [],
      visitedQueueIds: [registration.queueId],
      escalatedToFormalManager: false,
      firstResponseAt: null,
      resolvedAt: null,
      resolution: null,
      slaAtRisk: [],
      slaBreached: [],
      decisions: [],
      routing: [],
      frameworkWarnings: [],
    };
  }
  // Decide never emits these for a case that does not exist; a stream that says so anyway keeps its state.
  return state.status === 'none' ? state : evolveExisting(state, event);
}
