/*
 * Commands of the plan decider. Every command names the plan, the acting person (or
 * system component) and the instant it happens: the domain never reads a clock.
 */

interface PlanCommandData {
  readonly planId: string;
  readonly actorId: string;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

/** Registers a new plan under a title. */
export interface RegisterPlan {
  readonly type: 'RegisterPlan';
  readonly data: PlanCommandData & { readonly title: string };
}

/** Closes an open plan, with the reason. */
export interface ClosePlan {
  readonly type: 'ClosePlan';
  readonly data: PlanCommandData & { readonly reason: string };
}

export type PlanCommand = RegisterPlan | ClosePlan;
