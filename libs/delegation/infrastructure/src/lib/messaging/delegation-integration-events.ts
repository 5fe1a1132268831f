import { categoryOf } from '@leadership/kernel';
import type { RecordedEvent } from '@leadership/event-store';
import { integrationEvent, type IntegrationEventMapper, type MappedIntegrationEvent } from '@leadership/messaging-kafka';
import {
  MandateChanged,
  MandateReminderDue,
  PersonChanged,
  UnitChanged,
  type MandateChangeKind,
} from '@leadership/delegation-contracts';
import {
  evolveMandate,
  personDecider,
  unitDecider,
  MANDATE_STREAM_CATEGORY,
  PERSON_STREAM_CATEGORY,
  UNIT_STREAM_CATEGORY,
  type MandateEvent,
  type MandateEventType,
  type MandateState,
  type PersonEvent,
  type PersonState,
  type UnitEvent,
  type UnitState,
} from '@leadership/delegation-domain';
import { toMandateSnapshot } from '../read-model/mandate-snapshot.mapper';
import { REMINDER_STREAM_CATEGORY, type MandateReminderDue as ReminderData } from '../scheduler/delegation-scheduler';
import type { StateFolder } from './aggregate-state.source';

/** State of any aggregate the delegation relay publishes. */
export type PublishedState =
  | { readonly kind: 'mandate'; readonly state: MandateState }
  | { readonly kind: 'unit'; readonly state: UnitState }
  | { readonly kind: 'person'; readonly state: PersonState }
  | { readonly kind: 'other' };


export const delegationStateFolder: StateFolder<PublishedState> = {
  categories: [MANDATE_STREAM_CATEGORY, UNIT_STREAM_CATEGORY, PERSON_STREAM_CATEGORY],
  initial(streamName) {
    switch (categoryOf(streamName)) {
      case MANDATE_STREAM_CATEGORY:
        return { kind: 'mandate', state: { status: 'none' } };
      case UNIT_STREAM_CATEGORY:
        return { kind: 'unit', state: unitDecider.initialState() };
      case PERSON_STREAM_CATEGORY:
        return { kind: 'person', state: personDecider.initialState() };
      default:
        return { kind: 'other' };
    }
  },
  evolve(current, event) {
    const domainEvent = { type: event.type, data: event.data };
    switch (current.kind) {
      case 'mandate':
        return { kind: 'mandate', state: evolveMandate(current.state, domainEvent as MandateEvent) };
      case 'unit':
        return { kind: 'unit', state: unitDecider.evolve(current.state, domainEvent as UnitEvent) };
      case 'person':
        return { kind: 'person', state: personDecider.evolve(current.state, domainEvent as PersonEvent) };
      default:
        return current;
    }
  },
};

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
 * each event provided by `stateAfter` (see AggregateStateSource). Deterministic: the same
 * domain event always gives the same messages, with ids derived from the domain event id.
 */
export function delegationIntegrationEvents(stateAfter: (event: RecordedEvent) => PublishedState | undefined): IntegrationEventMapper {
  return (event): readonly MappedIntegrationEvent[] => {
    const category = categoryOf(event.streamName);
    if (category === REMINDER_STREAM_CATEGORY && event.type === 'MandateReminderDue') {
      const { at, ...reminder } = event.data as ReminderData;
      return [integrationEvent(MandateReminderDue, { ...reminder, occurredAt: at })];
    }
    const published = stateAfter(event);
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
          occurredAt: atOf(event),
        }),
      ];
    }
    return [];
  };
}
