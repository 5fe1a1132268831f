import type { FrameworkViolation } from '../framework/framework-rules';
import type { DecisionStamp, Priority, Skill } from '../shared/case-vocabulary';
import type { RoutingExplanation } from '../routing/routing-explanation';
import type { OverflowTarget, SlaTargetKind } from './case.commands';

/*
 * Events of the case stream (`case-<id>`). Each carries the case id, who caused it (`actorId`)
 * and when (`at`), plus everything needed to rebuild the state without another source. Decision
 * events also carry the stamp of the authority they relied on. The case version is the stream
 * revision, not a field.
 */

interface CaseEventData {
  readonly caseId: string;
  readonly actorId: string;
  readonly at: string;
}

type Stamped = CaseEventData & { readonly stamp: DecisionStamp };

export interface CaseRegistered {
  readonly type: 'CaseRegistered';
  readonly data: CaseEventData & {
    readonly queueId: string;
    readonly unitId: string;
    readonly title: string;
    readonly description: string | null;
    readonly priority: Priority;
    readonly channel: string;
    readonly requiredSkills: readonly Skill[];
    readonly preferredSkills: readonly Skill[];
    readonly externalRef: string | null;
    readonly receivedAt: string;
  };
}

export interface CaseOffered {
  readonly type: 'CaseOffered';
  readonly data: Stamped & { readonly agentId: string; readonly expiresAt: string; readonly explanation: RoutingExplanation };
}

export interface CaseOfferAccepted {
  readonly type: 'CaseOfferAccepted';
  readonly data: CaseEventData & { readonly agentId: string };
}

export interface CaseOfferDeclined {
  readonly type: 'CaseOfferDeclined';
  readonly data: CaseEventData & { readonly agentId: string; readonly reason: string };
}

export interface CaseOfferExpired {
  readonly type: 'CaseOfferExpired';
  readonly data: CaseEventData & { readonly agentId: string; readonly expiresAt: string };
}

/** Manual assignment; `overCapacity` says it exceeded the assignee's capacity (acknowledged). */
export interface CaseAssigned {
  readonly type: 'CaseAssigned';
  readonly data: Stamped & { readonly assigneeId: string; readonly reason: string; readonly overCapacity: boolean };
}

export interface CaseReassigned {
  readonly type: 'CaseReassigned';
  readonly data: Stamped & {
    readonly assigneeId: string;
    readonly previousAssigneeId: string;
    readonly reason: string;
    readonly overCapacity: boolean;
  };
}

export interface CasePrioritised {
  readonly type: 'CasePrioritised';
  readonly data: Stamped & { readonly priority: Priority; readonly previousPriority: Priority; readonly reason: string };
}

export interface CaseResolved {
  readonly type: 'CaseResolved';
  readonly data: CaseEventData & { readonly resolution: string | null };
}

export interface CaseOverflowed {
  readonly type: 'CaseOverflowed';
  readonly data: Stamped & { readonly fromQueueId: string; readonly to: OverflowTarget; readonly why: string };
}

export interface CaseSlaAtRisk {
  readonly type: 'CaseSlaAtRisk';
  readonly data: CaseEventData & { readonly target: SlaTargetKind; readonly dueAt: string };
}

export interface CaseSlaBreached {
  readonly type: 'CaseSlaBreached';
  readonly data: CaseEventData & { readonly target: SlaTargetKind; readonly dueAt: string };
}

/**
 * A decision went ahead although it broke `warn`-mode framework rules of the mandate it relied
 * on; follows the decision's event, so the delegator can be told.
 */
export interface CaseFrameworkWarningRecorded {
  readonly type: 'CaseFrameworkWarningRecorded';
  readonly data: Stamped & { readonly decision: CaseDecisionKind; readonly violations: readonly FrameworkViolation[] };
}

/** The kinds of decision the case keeps in its `decisions` list. */
export type CaseDecisionKind = 'offered' | 'assigned' | 'reassigned' | 'prioritised' | 'overflowed';

/** The one event union of the case aggregate. */
export type CaseEvent =
  | CaseRegistered
  | CaseOffered
  | CaseOfferAccepted
  | CaseOfferDeclined
  | CaseOfferExpired
  | CaseAssigned
  | CaseReassigned
  | CasePrioritised
  | CaseResolved
  | CaseOverflowed
  | CaseSlaAtRisk
  | CaseSlaBreached
  | CaseFrameworkWarningRecorded;
