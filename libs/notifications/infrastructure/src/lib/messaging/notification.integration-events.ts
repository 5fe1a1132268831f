import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { AggregateStateTracker, integrationEvent, mapDomainEvents, type MappedIntegrationEvent } from '@leadership/messaging-kafka';
import { NotificationChanged } from '@leadership/notifications-contracts';
import { NOTIFICATION_STREAM_CATEGORY, notificationDecider, type NotificationEvent, type NotificationState } from '@leadership/notifications-domain';

/**
 * The relay's state tracker: it hands the mapper each event with the notification's state right
 * after it, folded by the decider (the one reader). With a second aggregate, tag the states with
 * `trackAs` from @leadership/messaging-kafka so one tracker serves both.
 */
export function notificationAggregateStates(store: Pick<ReadOnlyEventStore, 'readStream'>): AggregateStateTracker<NotificationState> {
  return new AggregateStateTracker<NotificationState>(store, { [NOTIFICATION_STREAM_CATEGORY]: notificationDecider });
}

/** NotificationChanged with the state after `event` (state transfer); nothing for a state that is not a notification. */
function changed(
  event: RecordedEvent<string, { readonly actorId: string; readonly at: string }>,
  state: NotificationState | undefined,
  change: 'registered' | 'closed',
): MappedIntegrationEvent | undefined {
  if (!state || state.status === 'none') return undefined;
  const { actorId, at } = event.data;
  return integrationEvent(NotificationChanged, {
    notificationId: state.notificationId,
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
 * Domain events of the notification stream → integration events, one explicit entry per type
 * (a new domain event is not published by accident). Deterministic: the relay may map an event
 * again after a restart and gets the same message (its id is the domain event's id).
 */
export const notificationIntegrationEvents = mapDomainEvents<NotificationEvent, NotificationState>(NOTIFICATION_STREAM_CATEGORY, {
  NotificationRegistered: (event, state) => changed(event, state, 'registered'),
  NotificationClosed: (event, state) => changed(event, state, 'closed'),
});
