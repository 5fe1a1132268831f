import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { AggregateStateTracker, integrationEvent, mapDomainEvents, type MappedIntegrationEvent } from '@leadership/messaging-kafka';
import { CaseChanged, type CaseChangedData } from '@leadership/case-distribution-contracts';
import { CASE_STREAM_CATEGORY, caseDecider, type CaseEvent, type CaseState } from '@leadership/case-distribution-domain';

/**
 * The relay's state tracker: it hands the mapper each event with the case's state right
 * after it, folded by the decider (the one reader). With a second aggregate, tag the states with
 * `trackAs` from @leadership/messaging-kafka so one tracker serves both.
 */
export function caseAggregateStates(store: Pick<ReadOnlyEventStore, 'readStream'>): AggregateStateTracker<CaseState> {
  return new AggregateStateTracker<CaseState>(store, { [CASE_STREAM_CATEGORY]: caseDecider });
}

/** CaseChanged with the state after `event` (state transfer); nothing for a state that is not a case. */
function changed(
  event: RecordedEvent<string, { readonly actorId: string; readonly at: string }>,
  state: CaseState | undefined,
  change: CaseChangedData['change'],
): MappedIntegrationEvent | undefined {
  if (!state || state.status === 'none') return undefined;
  const { actorId, at } = event.data;
  return integrationEvent(CaseChanged, {
    caseId: state.caseId,
    version: event.revision,
    change,
    status: state.status,
    queueId: state.queueId,
    unitId: state.unitId,
    title: state.title,
    priority: state.priority,
    channel: state.channel,
    externalRef: state.externalRef,
    receivedAt: state.receivedAt,
    offeredTo: state.offer?.agentId ?? null,
    offerExpiresAt: state.offer?.expiresAt ?? null,
    assigneeId: state.assigneeId,
    escalatedToFormalManager: state.escalatedToFormalManager,
    firstResponseAt: state.firstResponseAt,
    resolvedAt: state.resolvedAt,
    slaAtRisk: [...state.slaAtRisk],
    slaBreached: [...state.slaBreached],
    decisions: [...state.decisions],
    actorId,
    occurredAt: at,
  });
}

/**
 * Domain events of the case stream → integration events, one explicit entry per type
 * (a new domain event is not published by accident). Deterministic: the relay may map an event
 * again after a restart and gets the same message (its id is the domain event's id).
 */
export const caseIntegrationEvents = mapDomainEvents<CaseEvent, CaseState>(CASE_STREAM_CATEGORY, {
  CaseRegistered: (event, state) => changed(event, state, 'registered'),
  CaseOffered: (event, state) => changed(event, state, 'offered'),
  CaseOfferAccepted: (event, state) => changed(event, state, 'offer-accepted'),
  CaseOfferDeclined: (event, state) => changed(event, state, 'offer-declined'),
  CaseOfferExpired: (event, state) => changed(event, state, 'offer-expired'),
  CaseAssigned: (event, state) => changed(event, state, 'assigned'),
  CaseReassigned: (event, state) => changed(event, state, 'reassigned'),
  CasePrioritised: (event, state) => changed(event, state, 'prioritised'),
  CaseResolved: (event, state) => changed(event, state, 'resolved'),
  CaseOverflowed: (event, state) => changed(event, state, 'overflowed'),
  CaseSlaAtRisk: (event, state) => changed(event, state, 'sla-at-risk'),
  CaseSlaBreached: (event, state) => changed(event, state, 'sla-breached'),
  CaseFrameworkWarningRecorded: (event, state) => changed(event, state, 'framework-warning-recorded'),
});
