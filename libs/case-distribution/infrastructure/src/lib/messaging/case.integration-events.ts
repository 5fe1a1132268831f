import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { AggregateStateTracker, integrationEvent, mapDomainEvents, type MappedIntegrationEvent } from '@leadership/messaging-kafka';
import { CaseAssignmentEvent, CaseChanged, type CaseChangedData } from '@leadership/case-distribution-contracts';
import type { IntegrationEventData } from '@leadership/messaging-contracts';
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
  CaseOffered: (event, state) => both(changed(event, state, 'offered'), assignment(event, state, 'offered', { agentId: event.data.agentId, expiresAt: event.data.expiresAt, reason: event.data.explanation.rule, stamp: event.data.stamp })),
  CaseOfferAccepted: (event, state) => both(changed(event, state, 'offer-accepted'), assignment(event, state, 'accepted', { agentId: event.data.agentId })),
  CaseOfferDeclined: (event, state) => both(changed(event, state, 'offer-declined'), assignment(event, state, 'declined', { agentId: event.data.agentId, reason: event.data.reason })),
  CaseOfferExpired: (event, state) => both(changed(event, state, 'offer-expired'), assignment(event, state, 'expired', { agentId: event.data.agentId, expiresAt: event.data.expiresAt })),
  CaseAssigned: (event, state) =>
    both(changed(event, state, 'assigned'), assignment(event, state, 'assigned', { agentId: event.data.assigneeId, reason: event.data.reason, overCapacity: event.data.overCapacity, stamp: event.data.stamp })),
  CaseReassigned: (event, state) =>
    both(
      changed(event, state, 'reassigned'),
      assignment(event, state, 'reassigned', { agentId: event.data.assigneeId, previousAgentId: event.data.previousAssigneeId, reason: event.data.reason, overCapacity: event.data.overCapacity, stamp: event.data.stamp }),
    ),
  CasePrioritised: (event, state) => both(changed(event, state, 'prioritised'), assignment(event, state, 'prioritised', { reason: event.data.reason, stamp: event.data.stamp })),
  // The resolution text stays in the service: it may hold customers' details.
  CaseResolved: (event, state) => both(changed(event, state, 'resolved'), assignment(event, state, 'resolved', { agentId: state?.status === 'none' ? null : (state?.assigneeId ?? null) })),
  CaseOverflowed: (event, state) =>
    both(
      changed(event, state, 'overflowed'),
      assignment(event, state, 'overflowed', {
        reason: event.data.why,
        overflowTo: 'queueId' in event.data.to ? { queueId: event.data.to.queueId, formalManager: false } : { queueId: null, formalManager: true },
        stamp: event.data.stamp,
      }),
    ),
  CaseSlaAtRisk: (event, state) => both(changed(event, state, 'sla-at-risk'), assignment(event, state, 'sla-at-risk', { sla: { target: event.data.target, dueAt: event.data.dueAt } })),
  CaseSlaBreached: (event, state) => both(changed(event, state, 'sla-breached'), assignment(event, state, 'sla-breached', { sla: { target: event.data.target, dueAt: event.data.dueAt } })),
  CaseFrameworkWarningRecorded: (event, state) => changed(event, state, 'framework-warning-recorded'),
});

type AssignmentData = IntegrationEventData<typeof CaseAssignmentEvent>;
type AssignmentDetails = Partial<Pick<AssignmentData, 'agentId' | 'previousAgentId' | 'expiresAt' | 'reason' | 'overflowTo' | 'sla' | 'overCapacity' | 'stamp'>>;

/** The case's compacted state and, for what other departments react to, the assignment event. */
function both(...events: readonly (MappedIntegrationEvent | undefined)[]): MappedIntegrationEvent[] {
  return events.filter((event): event is MappedIntegrationEvent => event !== undefined);
}

/** CaseAssignmentEvent of `kind` for `event`, with the case's place and priority after it. */
function assignment(
  event: RecordedEvent<string, { readonly actorId: string; readonly at: string }>,
  state: CaseState | undefined,
  kind: AssignmentData['kind'],
  details: AssignmentDetails,
): MappedIntegrationEvent | undefined {
  if (!state || state.status === 'none') return undefined;
  return integrationEvent(CaseAssignmentEvent, {
    caseId: state.caseId,
    version: event.revision,
    kind,
    queueId: state.queueId,
    unitId: state.unitId,
    priority: state.priority,
    agentId: null,
    previousAgentId: null,
    expiresAt: null,
    reason: null,
    overflowTo: null,
    sla: null,
    overCapacity: null,
    stamp: null,
    ...details,
    actorId: event.data.actorId,
    occurredAt: event.data.at,
  });
}
