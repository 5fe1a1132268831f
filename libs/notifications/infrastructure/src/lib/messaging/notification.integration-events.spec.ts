import type { RecordedEvent } from '@leadership/event-store';
import { fold } from '@leadership/kernel';
import { mapToKafkaMessages } from '@leadership/messaging-kafka';
import { DeliveryRecorded } from '@leadership/notifications-contracts';
import { defaultPreferences, deliveryIdFor, notificationDecider, notificationStreamName, type NotificationCommand, type NotificationEvent } from '@leadership/notifications-domain';
import { notificationIntegrationEvents } from './notification.integration-events';

const ID = '3f0c2a4e-7d1b-4c59-9e8a-1b2c3d4e5f60';
const AT = '2026-03-02T09:00:00.000Z';
const ROLE = 'role:case-distribution@unit:support';

function decide(events: readonly NotificationEvent[], command: NotificationCommand): NotificationEvent[] {
  return [...events, ...notificationDecider.decide(command, fold(notificationDecider, events))];
}

const requestedAndResolved = decide(
  decide([], {
    type: 'RequestNotification',
    data: {
      notificationId: ID,
      actorId: 'system:hr',
      at: AT,
      source: { type: 'api', id: 'key-1' },
      workflow: 'api',
      eventType: 'api.cases',
      category: 'cases',
      critical: false,
      content: { subject: 'Private subject', body: 'Private body' },
      data: {},
      to: [ROLE],
      defaultChannels: { inApp: true, email: true },
    },
  }),
  {
    type: 'ResolveRecipients',
    data: {
      notificationId: ID,
      actorId: 'system:dispatcher',
      at: AT,
      recipients: [{ personId: 'person-ben', address: ROLE, basis: 'mandate', mandateId: 'm-1', mandateVersion: 3, locale: 'sv-SE', preferences: defaultPreferences('Europe/Stockholm') }],
      webhookIds: [],
    },
  },
);

function recorded(event: NotificationEvent, revision: number, streamName = notificationStreamName(ID)): RecordedEvent {
  return {
    streamName,
    type: event.type,
    data: event.data,
    metadata: { eventId: `00000000-0000-4000-8000-00000000000${revision}`, actor: event.data.actorId },
    revision,
    position: BigInt(revision + 1),
    recordedAt: event.data.at,
  };
}

describe('notification integration events', () => {
  it('publishes the inbox item as delivered when planned, with the mandate behind it and no text', () => {
    const [, resolved] = requestedAndResolved;
    if (!resolved) throw new Error('not resolved');
    const messages = mapToKafkaMessages(notificationIntegrationEvents, recorded(resolved, 1), fold(notificationDecider, requestedAndResolved));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ topic: DeliveryRecorded.topic, key: ID });
    expect(JSON.parse(messages[0]?.value ?? '{}')).toMatchObject({
      deliveryId: deliveryIdFor(ID, 'person-ben', 'in-app'),
      kind: 'delivered',
      channel: 'in-app',
      recipientId: 'person-ben',
      basis: 'mandate',
      mandateId: 'm-1',
      mandateVersion: 3,
      version: 1,
    });
    expect(messages[0]?.value).not.toContain('Private');
  });

  it('publishes a delivered e-mail, and maps the same event to the same message', () => {
    const all = decide(requestedAndResolved, {
      type: 'RecordDeliveryAttempt',
      data: { notificationId: ID, actorId: 'system:dispatcher', at: '2026-03-02T09:00:05.000Z', deliveryId: deliveryIdFor(ID, 'person-ben', 'email'), outcome: { kind: 'delivered', responseCode: 250 } },
    });
    const last = all[all.length - 1];
    if (!last) throw new Error('no attempt');
    const state = fold(notificationDecider, all);
    const messages = mapToKafkaMessages(notificationIntegrationEvents, recorded(last, 2), state);
    expect(messages.map((m) => JSON.parse(m.value ?? '{}'))).toMatchObject([{ kind: 'delivered', channel: 'email', attempts: 1, responseCode: 250 }]);
    expect(mapToKafkaMessages(notificationIntegrationEvents, recorded(last, 2), state)).toEqual(messages);
  });

  it('publishes nothing for other streams, other events, or without a state', () => {
    const [requested] = requestedAndResolved;
    if (!requested) throw new Error('not requested');
    expect(notificationIntegrationEvents(recorded(requested, 0), fold(notificationDecider, [requested]))).toEqual([]);
    expect(notificationIntegrationEvents(recorded(requested, 0, 'other-1'), fold(notificationDecider, requestedAndResolved))).toEqual([]);
  });
});
