/*
 * Events of the plan stream (`plan-<id>`). Each carries the plan id, who caused it
 * (`actorId`) and when (`at`), plus everything needed to rebuild state without another source.
 * The plan version is the stream revision, not a field.
 */

interface PlanEventData {
  readonly planId: string;
  readonly actorId: string;
  readonly at: string;
}

export interface PlanRegistered {
  readonly type: 'PlanRegistered';
  readonly data: PlanEventData & { readonly title: string };
}

export interface PlanClosed {
  readonly type: 'PlanClosed';
  readonly data: PlanEventData & { readonly reason: string };
}

/** The one event union of the plan aggregate. */
export type PlanEvent = PlanRegistered | PlanClosed;
