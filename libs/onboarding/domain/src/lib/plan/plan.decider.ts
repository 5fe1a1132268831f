import { assertNever, type Decider } from '@leadership/kernel';
import type { ClosePlan, RegisterPlan, PlanCommand } from './plan.commands';
import {
  PlanAlreadyExistsError,
  PlanCloseReasonRequiredError,
  PlanNotFoundError,
  PlanTitleRequiredError,
} from './plan.errors';
import type { PlanEvent } from './plan.events';

export type PlanStatus = 'open' | 'closed';

/** A plan that was registered. */
export interface ExistingPlan {
  readonly status: PlanStatus;
  readonly planId: string;
  readonly title: string;
  readonly registeredAt: string;
  readonly registeredBy: string;
  readonly closedAt: string | null;
  readonly closeReason: string | null;
}

/** State of a plan stream: `none` until the plan is registered. */
export type PlanState = { readonly status: 'none' } | ExistingPlan;

type Events = readonly PlanEvent[];

// ---------------------------------------------------------------------------------------------
// Guards shared by the commands.

function existing(state: PlanState, planId: string): ExistingPlan {
  if (state.status === 'none') throw new PlanNotFoundError(planId);
  return state;
}

// ---------------------------------------------------------------------------------------------
// One function per command.

function register(command: RegisterPlan, state: PlanState): Events {
  const { planId, actorId, at } = command.data;
  const title = command.data.title.trim();
  if (state.status !== 'none') {
    // A retried registration is a no-op; reusing the id for another title is a conflict.
    if (state.title === title) return [];
    throw new PlanAlreadyExistsError(planId);
  }
  if (title.length === 0) throw new PlanTitleRequiredError(planId);
  return [{ type: 'PlanRegistered', data: { planId, actorId, at, title } }];
}

function close(command: ClosePlan, state: PlanState): Events {
  const { planId, actorId, at } = command.data;
  const current = existing(state, planId);
  // Closing twice is closing once: accepted, nothing new happens (a retried request is harmless).
  if (current.status === 'closed') return [];
  const reason = command.data.reason.trim();
  if (reason.length === 0) throw new PlanCloseReasonRequiredError(planId);
  return [{ type: 'PlanClosed', data: { planId, actorId, at, reason } }];
}

function evolve(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'PlanRegistered': {
      const { planId, actorId, at, title } = event.data;
      return { status: 'open', planId, title, registeredAt: at, registeredBy: actorId, closedAt: null, closeReason: null };
    }
    case 'PlanClosed':
      // Decide never closes a plan that does not exist; a stream that says so anyway keeps its state.
      return state.status === 'none' ? state : { ...state, status: 'closed', closedAt: event.data.at, closeReason: event.data.reason };
    default:
      return assertNever(event);
  }
}

/** The plan aggregate as a decider (stream `plan-<id>`, see `planStreamName`). */
export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide(command, state) {
    switch (command.type) {
      case 'RegisterPlan':
        return register(command, state);
      case 'ClosePlan':
        return close(command, state);
      default:
        return assertNever(command);
    }
  },
};
