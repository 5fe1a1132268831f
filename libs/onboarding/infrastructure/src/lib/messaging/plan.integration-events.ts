import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { AggregateStateTracker, integrationEvent, mapDomainEvents, type MappedIntegrationEvent } from '@leadership/messaging-kafka';
import { PlanChanged, type PlanChangedData } from '@leadership/onboarding-contracts';
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
  change: PlanChangedData['change'],
): MappedIntegrationEvent | undefined {
  if (!state || state.status === 'none') return undefined;
  const { actorId, at } = event.data;
  const generated = state.status === 'draft' ? undefined : state;
  return integrationEvent(PlanChanged, {
    newcomerId: state.newcomerId,
    version: event.revision,
    change,
    status: state.status,
    unitId: state.unitId,
    startDate: generated?.startDate ?? null,
    timeZone: generated?.timeZone ?? null,
    organiserId: generated?.organiserId ?? null,
    programmes: generated ? [...generated.programmes] : [],
    // Removal reasons are free text and stay in the service.
    steps: (generated?.steps ?? []).map(({ key, kind, title, status, localDate, sessionId, start, end, due, owner, after, doneAt, doneBy }) => ({
      key,
      kind,
      title,
      status,
      localDate,
      sessionId,
      start,
      end,
      due,
      owner,
      after,
      doneAt,
      doneBy,
    })),
    completedAt: generated?.completedAt ?? null,
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
  PlanDrafted: (event, state) => changed(event, state, 'drafted'),
  PlanGenerated: (event, state) => changed(event, state, 'generated'),
  PlanStepChanged: (event, state) => changed(event, state, 'step-changed'),
  PlanStepAdded: (event, state) => changed(event, state, 'step-added'),
  PlanStepRemoved: (event, state) => changed(event, state, 'step-removed'),
  TaskCompleted: (event, state) => changed(event, state, 'task-completed'),
  PlanCompleted: (event, state) => changed(event, state, 'completed'),
  PlanHandedOver: (event, state) => changed(event, state, 'handed-over'),
});
