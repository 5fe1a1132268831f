import type { DecisionStamp } from '../shared/onboarding-vocabulary';
import type { HandOverReason } from './plan.commands';
import type { PlanStep, StepOrigin } from './plan-step';

/*
 * Events of the plan stream (`plan-<newcomerId>`). Each carries what the state needs without
 * another source: generation carries every scheduled step, an edit the whole step after it.
 * The plan version (If-Match) is the stream revision.
 */

interface PlanEventData {
  readonly planId: string;
  readonly actorId: string;
  readonly at: string;
}

type Decided = PlanEventData & { readonly stamp: DecisionStamp };

export interface PlanDrafted {
  readonly type: 'PlanDrafted';
  readonly data: PlanEventData & { readonly newcomerId: string; readonly unitId: string };
}

export interface PlanGenerated {
  readonly type: 'PlanGenerated';
  readonly data: Decided & {
    readonly newcomerId: string;
    readonly unitId: string;
    readonly startDate: string;
    readonly timeZone: string;
    readonly programmes: readonly StepOrigin[];
    /** Who organises the plan: the decider (stamp actor); escalations and session ownership go here. */
    readonly organiserId: string;
    readonly steps: readonly PlanStep[];
  };
}

export interface PlanStepChanged {
  readonly type: 'PlanStepChanged';
  readonly data: Decided & { readonly step: PlanStep };
}

export interface PlanStepAdded {
  readonly type: 'PlanStepAdded';
  readonly data: Decided & { readonly step: PlanStep };
}

export interface PlanStepRemoved {
  readonly type: 'PlanStepRemoved';
  readonly data: Decided & { readonly key: string; readonly reason: string };
}

export interface TaskCompleted {
  readonly type: 'TaskCompleted';
  /** `stamp`: set when the onboarding manager completed it for the owner. */
  readonly data: PlanEventData & { readonly key: string; readonly stamp: DecisionStamp | null };
}

export interface PlanCompleted {
  readonly type: 'PlanCompleted';
  /** Keys of the steps still open when the plan was closed (kept as they were). */
  readonly data: Decided & { readonly openSteps: readonly string[] };
}

export interface PlanHandedOver {
  readonly type: 'PlanHandedOver';
  readonly data: PlanEventData & {
    readonly fromOrganiserId: string;
    readonly toOrganiserId: string;
    readonly reason: HandOverReason;
    readonly mandateId: string | null;
  };
}

/** The one event union of the plan aggregate. */
export type PlanEvent = PlanDrafted | PlanGenerated | PlanStepChanged | PlanStepAdded | PlanStepRemoved | TaskCompleted | PlanCompleted | PlanHandedOver;
