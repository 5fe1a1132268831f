import type { ProgrammeSnapshot } from '../programme/programme.decider';
import type { DecisionStamp, PresenterAddress, TaskOwner } from '../shared/onboarding-vocabulary';
import type { StepInput } from '../step/step-definition';

/*
 * Commands of the plan decider (stream `plan-<newcomerId>`: one plan per newcomer). Time and the
 * facts the domain cannot know (programme versions, who holds a role) arrive on the command.
 */

interface PlanCommandData {
  /** The newcomer's person id; also the plan's id. */
  readonly newcomerId: string;
  readonly at: string;
}

/** A decision of the onboarding manager (or a formal manager): who, on which authority. */
type Decided = PlanCommandData & { readonly stamp: DecisionStamp };

/**
 * The directory announced a new member of a unit: a draft plan without programmes, so the manager's
 * overview shows a newcomer nobody has planned for yet. A system action, not a leadership decision.
 */
export interface GenerateDraftPlan {
  readonly type: 'GenerateDraftPlan';
  readonly data: PlanCommandData & { readonly unitId: string; readonly actorId: string };
}

/** Generates the plan from one or more programme versions for a start date in the newcomer's zone. */
export interface GeneratePlan {
  readonly type: 'GeneratePlan';
  readonly data: Decided & {
    readonly unitId: string;
    /** First working day, local `YYYY-MM-DD`. */
    readonly startDate: string;
    /** IANA zone of the newcomer, e.g. `Europe/Stockholm`. */
    readonly timeZone: string;
    /** The programme versions, as read from their streams by the application. */
    readonly programmes: readonly ProgrammeSnapshot[];
  };
}

/** Fields of a step an edit may set; null clears an optional one. Key and kind stay (remove and add instead). */
export type StepChanges = {
  readonly title?: string;
  readonly dayOffset?: number;
  readonly time?: string | null;
  readonly durationMinutes?: number | null;
  readonly capacity?: number | null;
  readonly audience?: string | null;
  readonly location?: string | null;
  readonly link?: string | null;
  readonly presenter?: PresenterAddress | null;
  readonly owner?: TaskOwner | null;
  readonly after?: string | null;
};

/** Changes one step of this newcomer's plan (the programme is untouched). */
export interface ChangeStep {
  readonly type: 'ChangeStep';
  readonly data: Decided & { readonly key: string; readonly changes: StepChanges };
}

/** Adds a step to this newcomer's plan only. */
export interface AddStep {
  readonly type: 'AddStep';
  readonly data: Decided & { readonly step: StepInput };
}

/** Takes a step out of the plan; it stays in the history as removed, with the reason. */
export interface RemoveStep {
  readonly type: 'RemoveStep';
  readonly data: Decided & { readonly key: string; readonly reason: string };
}

/**
 * Marks a task done. The owner does it (the newcomer, the named person, or a holder of the owner
 * role: `actorHoldsOwnerRole` is the application's answer for buddy, IT and manager), or the
 * onboarding manager on their authority (`stamp`).
 */
export interface CompleteTask {
  readonly type: 'CompleteTask';
  readonly data: PlanCommandData & {
    readonly key: string;
    readonly actorId: string;
    readonly actorHoldsOwnerRole?: boolean;
    readonly stamp?: DecisionStamp;
  };
}

/** Closes the plan; every step and event stays (a completed plan is history, not deleted). */
export interface CompletePlan {
  readonly type: 'CompletePlan';
  readonly data: Decided;
}

/** Why the organiser of plans and sessions changes: the onboarding mandate ended, was suspended, or passed on. */
export type HandOverReason = 'mandate-ended' | 'mandate-suspended' | 'mandate-passed';

/** The plan's organiser (who gets escalations, owns its sessions) changes with the mandate. */
export interface HandOverPlan {
  readonly type: 'HandOverPlan';
  readonly data: PlanCommandData & {
    readonly actorId: string;
    readonly toOrganiserId: string;
    readonly reason: HandOverReason;
    /** The mandate the new organiser holds, when the work passed to a new holder. */
    readonly mandateId: string | null;
  };
}

export type PlanCommand = GenerateDraftPlan | GeneratePlan | ChangeStep | AddStep | RemoveStep | CompleteTask | CompletePlan | HandOverPlan;
