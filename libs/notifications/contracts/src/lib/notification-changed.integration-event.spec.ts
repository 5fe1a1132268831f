import { IntegrationEventValidationError, parseTopicName } from '@leadership/messaging-contracts';
import { notificationsAsyncApi } from './notifications.asyncapi';
import { NotificationChanged, NOTIFICATIONS_TOPIC } from './notification-changed.integration-event';

const [example] = NotificationChanged.examples;

describe('NotificationChanged contract', () => {
  it('is published on the context topic, keyed by the notification id', () => {
    expect(parseTopicName(NOTIFICATIONS_TOPIC)).toEqual({ context: 'notifications', stream: 'notifications', major: 1 });
    expect(example).toBeDefined();
    if (!example) return;
    expect(NotificationChanged.keyOf(example)).toBe(example.notificationId);
    expect(NotificationChanged.parse(example)).toEqual(example);
  });

  it('rejects unknown fields and missing ones without echoing the values', () => {
    expect(() => NotificationChanged.parse({ ...example, closeReason: 'private text' })).toThrow(IntegrationEventValidationError);
    const result = NotificationChanged.safeParse({ ...example, title: undefined });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).not.toContain('private text');
  });

  it('is documented in the AsyncAPI document with its JSON Schema', () => {
    const document = JSON.stringify(notificationsAsyncApi());
    expect(document).toContain(NOTIFICATIONS_TOPIC);
    expect(document).toContain(NotificationChanged.type);
    expect(NotificationChanged.jsonSchema()).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['notificationId', 'version']) });
  });
});
