import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { AggregateStateTracker, integrationEvent, mapDomainEvents, type MappedIntegrationEvent } from '@leadership/messaging-kafka';
import { PlanChanged } from '@leadership/onboarding-contracts';
import { PLAN_STREAM_CATEGORY, planDecider, type PlanEvent, type PlanState } from '@leadership/onboarding-domain';

/**
 * The relay's state tracker: it hands the mapper each event with the plan's state right
 * after it, folded by the decider (the one reader). With a second aggregate, tag the states with
 * `trackAs` from @leadership/messaging-kafka so one tracker serves both.
 */
export function planAggregateStates(store: Pick<ReadOnlyEventStore, 'readStream'>): AggregateStateTracker<PlanState> {
  return new AggregateStateTracker<PlanState>(store, { [PLAN_STREAM_CATEGORY]: planDecider });
}

/** PlanChanged with the state after `event` (state transfer); nothing for a state that is not a plan. */
function changed(
  event: RecordedEvent<string, { readonly actorId: string; readonly at: string }>,
  state: PlanState | undefined,
  change: 'registered' | 'closed',
): MappedIntegrationEvent | undefined {
  if (!state || state.status === 'none') return undefined;
  const { actorId, at } = event.data;
  return integrationEvent(PlanChanged, {
    planId: state.planId,
    version: event.revision,
    change,
    status: state.status,
    title: state.title,
    registeredAt: state.registeredAt,
    closedAt: state.closedAt,
    actorId,
    occurredAt: at,
  });
}

/**
 * Domain events of the plan stream → integration events, one explicit entry per type
 * (a new domain event is not published by accident). Deterministic: the relay may map an event
 * again after a restart and gets the same message (its id is the domain event's id).
 */
export const planIntegrationEvents = mapDomainEvents<PlanEvent, PlanState>(PLAN_STREAM_CATEGORY, {
  PlanRegistered: (event, state) => changed(event, state, 'registered'),
  PlanClosed: (event, state) => changed(event, state, 'closed'),
});
