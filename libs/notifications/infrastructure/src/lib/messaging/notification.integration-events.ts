import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { AggregateStateTracker, integrationEvent, mapDomainEvents, type MappedIntegrationEvent } from '@leadership/messaging-kafka';
import { DeliveryRecorded } from '@leadership/notifications-contracts';
import {
  NOTIFICATION_STREAM_CATEGORY,
  notificationDecider,
  type DeliveryState,
  type NotificationEvent,
  type NotificationState,
} from '@leadership/notifications-domain';

/**
 * The relay's state tracker: it hands the mapper each event with the notification's state right
 * after it, folded by the decider (the one reader). With a second aggregate, tag the states with
 * `trackAs` from @leadership/messaging-kafka so one tracker serves both.
 */
export function notificationAggregateStates(store: Pick<ReadOnlyEventStore, 'readStream'>): AggregateStateTracker<NotificationState> {
  return new AggregateStateTracker<NotificationState>(store, { [NOTIFICATION_STREAM_CATEGORY]: notificationDecider });
}

type Kind = 'delivered' | 'dead-lettered' | 'withdrawn';

/** DeliveryRecorded for the deliveries an event ended, read from the state after it (ids only, never texts). */
function recorded(event: RecordedEvent<string, { readonly actorId: string; readonly at: string }>, state: NotificationState | undefined, ended: (d: DeliveryState) => Kind | undefined): MappedIntegrationEvent[] {
  if (!state || state.status === 'none') return [];
  return state.deliveries.flatMap((delivery) => {
    const kind = ended(delivery);
    if (!kind) return [];
    const { deliveryId, channel, recipientId, address, basis, mandateId, mandateVersion, attempts, lastResponseCode } = delivery;
    const { notificationId, workflow, category, critical, source } = state;
    return [
      integrationEvent(DeliveryRecorded, {
        notificationId,
        version: event.revision,
        deliveryId,
        kind,
        channel,
        recipientId,
        address,
        basis,
        mandateId,
        mandateVersion,
        workflow,
        category,
        critical,
        source,
        attempts,
        responseCode: lastResponseCode,
        actorId: event.data.actorId,
        occurredAt: event.data.at,
      }),
    ];
  });
}

const one = (deliveryId: string, kind: Kind) => (d: DeliveryState) => (d.deliveryId === deliveryId ? kind : undefined);

/**
 * Domain events of the notification stream → integration events, one explicit entry per type
 * (a new domain event is not published by accident). Deterministic: the relay may map an event
 * again after a restart and gets the same messages. In-app items are delivered when planned.
 */
export const notificationIntegrationEvents = mapDomainEvents<NotificationEvent, NotificationState>(NOTIFICATION_STREAM_CATEGORY, {
  RecipientsResolved: (event, state) => {
    const planned = new Set(event.data.deliveries.filter((d) => d.status === 'delivered').map((d) => d.deliveryId));
    return recorded(event, state, (d) => (planned.has(d.deliveryId) ? 'delivered' : undefined));
  },
  DeliveryRedirected: (event, state) => {
    const planned = new Set(event.data.deliveries.filter((d) => d.status === 'delivered').map((d) => d.deliveryId));
    return recorded(event, state, (d) => (d.deliveryId === event.data.deliveryId ? 'withdrawn' : planned.has(d.deliveryId) ? 'delivered' : undefined));
  },
  DeliverySucceeded: (event, state) => recorded(event, state, one(event.data.deliveryId, 'delivered')),
  DeliveryDeadLettered: (event, state) => recorded(event, state, one(event.data.deliveryId, 'dead-lettered')),
});
