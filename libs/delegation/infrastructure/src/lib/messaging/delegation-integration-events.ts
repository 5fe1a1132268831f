import { categoryOf } from '@leadership/kernel';
import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { AggregateStateTracker, integrationEvent, trackAs, type IntegrationEventMapper, type MappedIntegrationEvent } from '@leadership/messaging-kafka';
import { MandateChanged, MandateReminderDue, PersonChanged, UnitChanged, type MandateChangeKind } from '@leadership/delegation-contracts';
import {
  mandateDecider,
  personDecider,
  unitDecider,
  MANDATE_STREAM_CATEGORY,
  PERSON_STREAM_CATEGORY,
  UNIT_STREAM_CATEGORY,
  type MandateEventType,
} from '@leadership/delegation-domain';
import { toMandateSnapshot } from '../read-model/mandate-snapshot.mapper';
import { REMINDER_STREAM_CATEGORY, type MandateReminderDue as ReminderData } from '../scheduler/delegation-scheduler';

/**
 * The aggregates whose state the delegation relay publishes (state transfer), each folded by its
 * decider through the event-store port's one reader.
 */
export const delegationAggregateReaders = {
  [MANDATE_STREAM_CATEGORY]: trackAs('mandate', mandateDecider),
  [UNIT_STREAM_CATEGORY]: trackAs('unit', unitDecider),
  [PERSON_STREAM_CATEGORY]: trackAs('person', personDecider),
};

/** State of any aggregate the delegation relay publishes. */
export type PublishedState = ReturnType<(typeof delegationAggregateReaders)[keyof typeof delegationAggregateReaders]['initialState']>;

/** The relay's state tracker for the delegation aggregates. */
export function delegationAggregateStates(store: Pick<ReadOnlyEventStore, 'readStream'>): AggregateStateTracker<PublishedState> {
  return new AggregateStateTracker<PublishedState>(store, delegationAggregateReaders);
}

/** Domain event type → the `change` of MandateChanged (explicit: a new domain event is not published by accident). */
const changeOf: Record<MandateEventType, MandateChangeKind> = {
  MandateProposed: 'proposed',
  MandateAccepted: 'accepted',
  MandateDeclined: 'declined',
  MandateActivated: 'activated',
  MandateAmended: 'amended',
  MandateExpansionProposed: 'expansion-proposed',
  MandateExpansionWithdrawn: 'expansion-withdrawn',
  MandateExpansionAccepted: 'expansion-accepted',
  MandateExpansionDeclined: 'expansion-declined',
  MandateExtended: 'extended',
  MandateSuspended: 'suspended',
  MandateResumed: 'resumed',
  MandateRevoked: 'revoked',
  MandateRelinquished: 'relinquished',
  MandateExpired: 'expired',
  MandateCompleted: 'completed',
  MandateCheckInRecorded: 'check-in-recorded',
  MandateFlaggedForReconfirmation: 'flagged-for-reconfirmation',
  MandateConfirmed: 'confirmed',
};

const atOf = (event: RecordedEvent) => String((event.data as { at?: unknown }).at ?? event.recordedAt);

/**
 * Maps the delegation context's domain events to its integration events, using the state after
 * each event that the relay hands over (see delegationAggregateStates). Deterministic: the same
 * domain event always gives the same messages, with ids derived from the domain event id.
 */
export const delegationIntegrationEvents: IntegrationEventMapper<PublishedState> = (event, published): readonly MappedIntegrationEvent[] => {
  const category = categoryOf(event.streamName);
  if (category === REMINDER_STREAM_CATEGORY && event.type === 'MandateReminderDue') {
    const { at, ...reminder } = event.data as ReminderData;
    return [integrationEvent(MandateReminderDue, { ...reminder, occurredAt: at })];
  }
  if (!published) return [];
  if (published.kind === 'mandate' && published.state.status !== 'none') {
    const change = changeOf[event.type as MandateEventType];
    if (change === undefined) return [];
    const actorId = String((event.data as { actorId?: unknown }).actorId ?? event.metadata.actor ?? 'unknown');
    return [
      integrationEvent(MandateChanged, {
        mandateId: published.state.mandateId,
        version: event.revision,
        change,
        actorId,
        occurredAt: atOf(event),
        mandate: toMandateSnapshot(published.state),
      }),
    ];
  }
  if (published.kind === 'unit' && published.state.status === 'registered') {
    const { unit } = published.state;
    const removed = event.type === 'UnitManagersChanged' ? ((event.data as { removed?: readonly string[] }).removed ?? []) : [];
    return [
      integrationEvent(UnitChanged, {
        unitId: unit.id,
        version: event.revision,
        name: unit.name,
        parentId: unit.parentId,
        managerIds: [...unit.managerIds],
        removedManagerIds: [...removed],
        occurredAt: atOf(event),
      }),
    ];
  }
  if (published.kind === 'person' && published.state.status === 'registered') {
    const { person } = published.state;
    return [
      integrationEvent(PersonChanged, {
        personId: person.id,
        version: event.revision,
        locale: person.locale,
        unitIds: [...person.unitIds],
        skills: [...person.skills],
        // The periods only: ids are the writers' bookkeeping, and reasons are not kept at all.
        absences: person.absences.map(({ from, to }) => ({ from, to })),
        occurredAt: atOf(event),
      }),
    ];
  }
  return [];
};
