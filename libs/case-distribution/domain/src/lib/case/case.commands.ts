import type { FrameworkViolation } from '../framework/framework-rules';
import type { DecisionStamp, Priority, Skill } from '../shared/case-vocabulary';
import type { RoutingExplanation } from '../routing/routing-explanation';

/*
 * Commands of the case decider. Every command names the case and the instant it happens (the
 * domain never reads a clock). Decisions (offer, assign, reassign, prioritise, overflow) carry the
 * stamp of the authority they rely on instead of a bare actor: the actor is the stamp's.
 */

interface CaseCommandData {
  readonly caseId: string;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

/** A command of a person or system component that is not a leadership decision. */
type ActedBy = CaseCommandData & { readonly actorId: string };

/** A leadership decision: who decided on which authority. */
type Decided = CaseCommandData & { readonly stamp: DecisionStamp };

/**
 * The mandate's framework rules broken by a manual decision (`checkFrameworkRules`): an `enforce`
 * one refuses the decision, `warn` ones are recorded with it. Empty without a mandate.
 */
type Checked = { readonly frameworkViolations?: readonly FrameworkViolation[] };

/** What the application knows about the assignee's capacity at the time of a manual assignment. */
export interface AssigneeCapacity {
  /** Load in weight units before the assignment (assigned and offered cases). */
  readonly load: number;
  readonly capacity: number;
  /** Weight of this case's channel in its queue. */
  readonly caseWeight: number;
  /** The assignee is an agent of the case's queue (only agents work a queue's cases). */
  readonly agent: boolean;
}

/** Registers a case that arrived over REST or the intake topic. */
export interface RegisterCase {
  readonly type: 'RegisterCase';
  readonly data: ActedBy & {
    readonly queueId: string;
    readonly unitId: string;
    readonly title: string;
    readonly description?: string;
    readonly priority: Priority;
    readonly channel: string;
    readonly requiredSkills: readonly Skill[];
    readonly preferredSkills: readonly Skill[];
    readonly externalRef?: string;
    /** When the case arrived: its age, and the start of its SLA clocks, count from here. */
    readonly receivedAt: string;
  };
}

/** Offers a queued case to one agent until `expiresAt` (the router's choice, with its explanation). */
export interface OfferCase {
  readonly type: 'OfferCase';
  readonly data: Decided & { readonly agentId: string; readonly expiresAt: string; readonly explanation: RoutingExplanation };
}

/** The offered agent takes the case. */
export interface AcceptOffer {
  readonly type: 'AcceptOffer';
  readonly data: ActedBy;
}

/** The offered agent passes on the case; it goes back to the queue with its age. */
export interface DeclineOffer {
  readonly type: 'DeclineOffer';
  readonly data: ActedBy & { readonly reason: string };
}

/**
 * The offer timer fired. Names the offer it was set for (agent and expiry), so a late timer does
 * not expire a newer offer of the same case.
 */
export interface ExpireOffer {
  readonly type: 'ExpireOffer';
  readonly data: ActedBy & { readonly agentId: string; readonly expiresAt: string };
}

/** Manual assignment of a queued or offered case. */
export interface AssignCase {
  readonly type: 'AssignCase';
  readonly data: Decided &
    Checked & {
      readonly assigneeId: string;
      readonly reason: string;
      /** The decider acknowledges that the assignment exceeds the assignee's capacity. */
      readonly overCapacity: boolean;
      readonly capacity: AssigneeCapacity;
    };
}

/** Moves an assigned case to another assignee. */
export interface ReassignCase {
  readonly type: 'ReassignCase';
  readonly data: AssignCase['data'];
}

/** Changes the priority of an open case. */
export interface PrioritiseCase {
  readonly type: 'PrioritiseCase';
  readonly data: Decided & Checked & { readonly priority: Priority; readonly reason: string };
}

/** The assignee's work on the case is done. */
export interface ResolveCase {
  readonly type: 'ResolveCase';
  readonly data: ActedBy & { readonly resolution?: string };
}

/** Where an overflowing case goes: the queue's overflow queue, or the unit's formal manager. */
export type OverflowTarget = { readonly queueId: string } | { readonly formalManager: true };

/** Moves a queued case that nobody in its queue can take to another queue or to the formal manager. */
export interface OverflowCase {
  readonly type: 'OverflowCase';
  readonly data: Decided & Checked & { readonly to: OverflowTarget; readonly why: string };
}

/** The SLA targets of a case. */
export type SlaTargetKind = 'first-response' | 'resolution';

/** The SLA scheduler found the target close to its due time. */
export interface MarkSlaAtRisk {
  readonly type: 'MarkSlaAtRisk';
  readonly data: ActedBy & { readonly target: SlaTargetKind; readonly dueAt: string };
}

/** The SLA scheduler found the target's due time passed without the target met. */
export interface RecordSlaBreach {
  readonly type: 'RecordSlaBreach';
  readonly data: ActedBy & { readonly target: SlaTargetKind; readonly dueAt: string };
}

export type CaseCommand =
  | RegisterCase
  | OfferCase
  | AcceptOffer
  | DeclineOffer
  | ExpireOffer
  | AssignCase
  | ReassignCase
  | PrioritiseCase
  | ResolveCase
  | OverflowCase
  | MarkSlaAtRisk
  | RecordSlaBreach;
