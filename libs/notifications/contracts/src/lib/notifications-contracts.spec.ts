import { IntegrationEventValidationError, parseTopicName } from '@leadership/messaging-contracts';
import { DeliveryRecorded, DELIVERIES_TOPIC } from './delivery-recorded.integration-event';
import { notificationRequestSchema } from './notification-request.schema';
import { notificationsAsyncApi } from './notifications.asyncapi';
import { preferencesSchema } from './preferences.schema';
import { webhookPayloadSchema, webhookSubscriptionSchema } from './webhook-subscription.schema';

const [example] = DeliveryRecorded.examples;

describe('DeliveryRecorded contract', () => {
  it('is published on the deliveries topic, keyed by the notification id', () => {
    expect(parseTopicName(DELIVERIES_TOPIC)).toEqual({ context: 'notifications', stream: 'deliveries', major: 1 });
    if (!example) throw new Error('no example');
    expect(DeliveryRecorded.keyOf(example)).toBe(example.notificationId);
    expect(DeliveryRecorded.parse(example)).toEqual(example);
  });

  it('rejects unknown fields (no text or e-mail address can slip in) without echoing values', () => {
    expect(() => DeliveryRecorded.parse({ ...example, email: 'ben@example.com' })).toThrow(IntegrationEventValidationError);
    const result = DeliveryRecorded.safeParse({ ...example, basis: 'friendship' });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).not.toContain('friendship');
  });

  it('is documented in the AsyncAPI document with its JSON Schema', () => {
    const document = JSON.stringify(notificationsAsyncApi());
    expect(document).toContain(DELIVERIES_TOPIC);
    expect(document).toContain(DeliveryRecorded.type);
    expect(DeliveryRecorded.jsonSchema()).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['notificationId', 'deliveryId', 'basis', 'mandateId']) });
  });
});

describe('REST bodies', () => {
  it('takes a trigger to one address or several, with a template key or own text', () => {
    expect(notificationRequestSchema.parse({ to: 'role:case-distribution@unit:support', category: 'cases', template: 'case.sla-at-risk', data: { caseId: 'c-1' } })).toMatchObject({ to: 'role:case-distribution@unit:support' });
    expect(notificationRequestSchema.safeParse({ to: ['person-ben', 'person-dan'], category: 'cases', template: { subject: 'Hi', body: 'Queue {{queueId}}' }, critical: true }).success).toBe(true);
    expect(notificationRequestSchema.safeParse({ to: [], category: 'cases', template: 'x' }).success).toBe(false);
    expect(notificationRequestSchema.safeParse({ to: 'person-ben', category: 'Cases', template: 'x' }).success).toBe(false);
    expect(notificationRequestSchema.safeParse({ to: 'person-ben', category: 'cases', template: 'x', priority: 'high' }).success).toBe(false);
    expect(notificationRequestSchema.safeParse({ to: 'person-ben', category: 'cases', template: 'x', data: { nested: { a: 1 } } }).success).toBe(false);
  });

  it('takes preferences with overnight quiet hours and rejects malformed times', () => {
    const preferences = { timeZone: 'Europe/Stockholm', quietHours: { from: '22:00', to: '07:00', days: ['mon', 'fri'] }, channels: { cases: { inApp: true, email: false } }, digest: { mandates: 'daily' } };
    expect(preferencesSchema.parse(preferences)).toEqual(preferences);
    expect(preferencesSchema.safeParse({ ...preferences, quietHours: { ...preferences.quietHours, to: '7:00' } }).success).toBe(false);
    expect(preferencesSchema.safeParse({ ...preferences, digest: { mandates: 'weekly' } }).success).toBe(false);
  });

  it('takes a webhook subscription and documents the payload envelope', () => {
    expect(webhookSubscriptionSchema.safeParse({ url: 'https://hr.example.com/hook', eventTypes: ['mandate.*'], secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3kkSyhA7mc8=' }).success).toBe(true);
    expect(webhookSubscriptionSchema.safeParse({ url: 'https://hr.example.com/hook', eventTypes: ['Mandate'] }).success).toBe(false);
    expect(webhookSubscriptionSchema.safeParse({ url: 'https://hr.example.com/hook', eventTypes: ['*'], secret: 'hunter2' }).success).toBe(false);
    const payload = {
      type: 'mandate.proposed',
      timestamp: '2026-03-02T08:00:00.000Z',
      data: { notificationId: 'n-1', category: 'mandates', critical: false, source: { type: 'leadership.delegation.mandate-changed.v1', id: 'ce-1' }, subject: 's', text: 't', facts: { mandateId: 'm-1' } },
    };
    expect(webhookPayloadSchema.parse(payload)).toEqual(payload);
  });
});
