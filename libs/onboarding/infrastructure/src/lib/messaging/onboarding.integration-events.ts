import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { AggregateStateTracker, integrationEvent, mapDomainEvents, trackAs, type IntegrationEventMapper, type MappedIntegrationEvent } from '@leadership/messaging-kafka';
import { BookingChanged, PresenterUnavailabilityChanged, SessionChanged, SessionReminderDue, TaskReminderDue, type BookingChangedData } from '@leadership/onboarding-contracts';
import {
  BOOKING_STREAM_CATEGORY,
  bookingDecider,
  PLAN_STREAM_CATEGORY,
  planDecider,
  PRESENTER_STREAM_CATEGORY,
  presenterDecider,
  REMINDER_STREAM_CATEGORY,
  SESSION_STREAM_CATEGORY,
  sessionDecider,
  type BookingEvent,
  type BookingState,
  type DecisionStamp,
  type PlanState,
  type PresenterCalendar,
  type PresenterEvent,
  type ReminderEvent,
  type SessionEvent,
  type SessionState,
} from '@leadership/onboarding-domain';
import { planIntegrationEvents } from './plan.integration-events';

/** The state after an event, tagged with its aggregate (one tracker serves every category the relay publishes). */
export type OnboardingAggregateState =
  | { readonly kind: 'plan'; readonly state: PlanState }
  | { readonly kind: 'session'; readonly state: SessionState }
  | { readonly kind: 'booking'; readonly state: BookingState }
  | { readonly kind: 'presenter'; readonly state: PresenterCalendar };

/** The relay's state tracker over plans, sessions, bookings and presenter calendars (folded by their deciders, the one reader). */
export function onboardingAggregateStates(store: Pick<ReadOnlyEventStore, 'readStream'>): AggregateStateTracker<OnboardingAggregateState> {
  return new AggregateStateTracker<OnboardingAggregateState>(store, {
    [PLAN_STREAM_CATEGORY]: trackAs('plan', planDecider),
    [SESSION_STREAM_CATEGORY]: trackAs('session', sessionDecider),
    [BOOKING_STREAM_CATEGORY]: trackAs('booking', bookingDecider),
    [PRESENTER_STREAM_CATEGORY]: trackAs('presenter', presenterDecider),
  });
}

type Recorded = RecordedEvent<string, { readonly actorId: string; readonly at: string }>;

/** SessionChanged with the session's state after `event`. */
function sessionChanged(
  event: Recorded,
  state: SessionState | undefined,
  change: (typeof SessionChanged)['examples'][number]['change'],
  stamp: DecisionStamp | null = null,
  formerPresenterId: string | null = null,
): MappedIntegrationEvent | undefined {
  if (!state || state.status === 'none') return undefined;
  return integrationEvent(SessionChanged, {
    sessionId: state.sessionId,
    version: event.revision,
    change,
    status: state.status,
    planId: state.planId,
    stepKey: state.stepKey,
    unitId: state.unitId,
    title: state.title,
    start: state.from,
    end: state.to,
    location: state.location,
    link: state.link,
    capacity: state.capacity,
    presenterSlot: state.presenterSlot,
    organiserId: state.organiserId,
    attendeeIds: [...state.attendeeIds],
    presenterId: state.presenterId,
    bookingId: state.bookingId,
    formerPresenterId,
    sequence: state.sequence,
    stamp,
    actorId: event.data.actorId,
    occurredAt: event.data.at,
  });
}

/** Domain events of sessions → SessionChanged (state transfer; compacted by session id). */
export const sessionIntegrationEvents = mapDomainEvents<SessionEvent, SessionState>(SESSION_STREAM_CATEGORY, {
  SessionScheduled: (event, state) => sessionChanged(event, state, 'scheduled', event.data.stamp),
  SessionRevised: (event, state) => sessionChanged(event, state, 'revised', event.data.stamp),
  SessionPresenterAssigned: (event, state) => sessionChanged(event, state, 'presenter-assigned'),
  SessionPresenterUnassigned: (event, state) => sessionChanged(event, state, 'presenter-unassigned', null, event.data.presenterId),
  SessionCancelled: (event, state) => sessionChanged(event, state, 'cancelled', event.data.stamp, event.data.presenterId),
  SessionHandedOver: (event, state) => sessionChanged(event, state, 'handed-over'),
});

/** BookingChanged with the booking's state after `event`; the decline reason stays in the service. */
function bookingChanged(
  event: Recorded,
  state: BookingState | undefined,
  kind: BookingChangedData['kind'],
  extra: Partial<Pick<BookingChangedData, 'endedBy' | 'withdrawn' | 'successorId'>> = {},
): MappedIntegrationEvent | undefined {
  if (!state || state.status === 'none') return undefined;
  return integrationEvent(BookingChanged, {
    bookingId: state.bookingId,
    version: event.revision,
    kind,
    status: state.status === 'expired' ? 'declined' : state.status,
    sessionId: state.sessionId,
    presenterId: state.personId,
    topic: state.title,
    startsAt: state.from,
    endsAt: state.to,
    expiresAt: state.expiresAt,
    resolution: state.resolution,
    stamp: state.stamp,
    endedBy: null,
    withdrawn: false,
    successorId: null,
    ...extra,
    actorId: event.data.actorId,
    occurredAt: event.data.at,
  });
}

/** Domain events of bookings → BookingChanged (an event stream: every answer matters). */
export const bookingIntegrationEvents = mapDomainEvents<BookingEvent, BookingState>(BOOKING_STREAM_CATEGORY, {
  BookingRequested: (event, state) => bookingChanged(event, state, 'requested'),
  BookingConfirmed: (event, state) => bookingChanged(event, state, 'confirmed'),
  BookingDeclined: (event, state) => bookingChanged(event, state, 'declined', { withdrawn: event.data.withdrawn }),
  BookingExpired: (event, state) => bookingChanged(event, state, 'expired'),
  BookingCancelled: (event, state) => bookingChanged(event, state, 'cancelled', { endedBy: event.data.stamp }),
  BookingReleased: (event, state) => bookingChanged(event, state, 'released', { endedBy: event.data.stamp, successorId: event.data.successorId }),
  BookingRescheduled: (event, state) => bookingChanged(event, state, 'rescheduled'),
});

/**
 * A presenter's calendar → PresenterUnavailabilityChanged: a reserved slot (a confirmed session,
 * or its new time) makes the person unavailable for other work then; a freed one gives it back.
 * Case distribution records it against the agent, so no case is offered during the session.
 */
export const presenterIntegrationEvents = mapDomainEvents<PresenterEvent, PresenterCalendar>(PRESENTER_STREAM_CATEGORY, {
  PresenterSlotReserved: (event) =>
    integrationEvent(PresenterUnavailabilityChanged, { personId: event.data.personId, sessionId: event.data.sessionId, kind: 'unavailable', from: event.data.from, to: event.data.to, version: event.revision, occurredAt: event.data.at }),
  PresenterSlotFreed: (event) =>
    integrationEvent(PresenterUnavailabilityChanged, { personId: event.data.personId, sessionId: event.data.sessionId, kind: 'withdrawn', from: event.data.from, to: event.data.to, version: event.revision, occurredAt: event.data.at }),
});

/** Fired reminders → TaskReminderDue / SessionReminderDue, with the reminder id as CloudEvent id (a redelivery is recognisable). */
export const reminderIntegrationEvents = mapDomainEvents<ReminderEvent>(REMINDER_STREAM_CATEGORY, {
  TaskReminderFired: (event) => {
    const { reminderId, kind, newcomerId, unitId, stepKey, dueAt, daysBefore, recipient, fireAt, at } = event.data;
    const person = 'personId' in recipient ? recipient.personId : null;
    const role = 'role' in recipient ? recipient.role : null;
    return integrationEvent(TaskReminderDue, { reminderId, kind, newcomerId, unitId, stepKey, dueAt, daysBefore, recipientId: person, recipientRole: role, fireAt, occurredAt: at }, { id: reminderId });
  },
  SessionReminderFired: (event) => {
    const { reminderId, sessionId, newcomerId, unitId, presenterId, title, startsAt, place, fireAt, at } = event.data;
    return integrationEvent(SessionReminderDue, { reminderId, kind: 'session-tomorrow', sessionId, newcomerId, unitId, presenterId, topic: title, startsAt, place, fireAt, occurredAt: at }, { id: reminderId });
  },
});

/** Every category the relay publishes: each mapper gets its own aggregate's state (untagged). */
export const onboardingIntegrationEvents: IntegrationEventMapper<OnboardingAggregateState> = (event, tagged) => {
  switch (tagged?.kind) {
    case 'plan':
      return planIntegrationEvents(event, tagged.state);
    case 'session':
      return sessionIntegrationEvents(event, tagged.state);
    case 'booking':
      return bookingIntegrationEvents(event, tagged.state);
    case 'presenter':
      return presenterIntegrationEvents(event, tagged.state);
    default:
      return reminderIntegrationEvents(event);
  }
};

/** The stream categories the relay reads. */
export const ONBOARDING_PUBLISHED_CATEGORIES = [PLAN_STREAM_CATEGORY, SESSION_STREAM_CATEGORY, BOOKING_STREAM_CATEGORY, PRESENTER_STREAM_CATEGORY, REMINDER_STREAM_CATEGORY] as const;
