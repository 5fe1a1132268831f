import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';
import { channelSchema, instant, recipientBasisSchema, sourceSchema } from './notification-contract-parts';

/** Deliveries as they end, per notification in order (key = notification id); an event stream, not compacted. */
export const DELIVERIES_TOPIC = 'leadership.notifications.deliveries.v1';

/** How a delivery ended (additive within v1). */
export const deliveryOutcomeKinds = ['delivered', 'dead-lettered', 'withdrawn'] as const;

/** A delivery was made, given up, or withdrawn because its recipient is no longer addressed. */
export const DeliveryRecorded = defineIntegrationEvent({
  type: 'leadership.notifications.delivery-recorded.v1',
  topic: DELIVERIES_TOPIC,
  version: 1,
  description:
    'A notification reached a recipient (in-app item written, e-mail accepted by the SMTP server, webhook answered 2xx), was ' +
    'dead-lettered after its retries, or was withdrawn because the recipient no longer held the role it was addressed to (the ' +
    'successor gets their own delivery). Carries who was told, on which channel and on whose authority; never the text, names or ' +
    'e-mail addresses. `version` is the notification version after the event: a repeated one is a redelivery.',
  keyDescription: 'notification id',
  keyOf: (data) => data.notificationId,
  schema: z.strictObject({
    notificationId: z.string().min(1),
    version: z.number().int().nonnegative(),
    deliveryId: z.string().min(1),
    kind: z.enum(deliveryOutcomeKinds),
    channel: channelSchema,
    /** The person, or the webhook subscription for channel `webhook`. */
    recipientId: z.string().min(1),
    address: z.string().min(1),
    basis: recipientBasisSchema,
    mandateId: z.string().min(1).nullable(),
    mandateVersion: z.number().int().nonnegative().nullable(),
    workflow: z.string().min(1),
    category: z.string().min(1),
    critical: z.boolean(),
    source: sourceSchema,
    /** Send attempts since planned or last replayed (0 for in-app items and withdrawals before an attempt). */
    attempts: z.number().int().nonnegative(),
    /** SMTP reply or HTTP status of the last attempt. */
    responseCode: z.number().int().nullable(),
    actorId: z.string().min(1),
    occurredAt: instant,
  }),
  examples: [
    {
      notificationId: '5d0f3b8e-95a1-8c2e-a1f0-0c9d2b7e4a11',
      version: 2,
      deliveryId: '1f2e3d4c-5b6a-8978-9a0b-c1d2e3f4a5b6',
      kind: 'delivered',
      channel: 'email',
      recipientId: 'person-ben',
      address: 'role:case-distribution@unit:support',
      basis: 'mandate',
      mandateId: '0b6f8f0e-2a7c-4c1e-9d55-3f1f7c2f9a10',
      mandateVersion: 3,
      workflow: 'api',
      category: 'cases',
      critical: false,
      source: { type: 'api', id: 'order-4711-reminder' },
      attempts: 1,
      responseCode: 250,
      actorId: 'system:dispatcher',
      occurredAt: '2026-03-02T08:00:02.000Z',
    },
  ],
});

export type DeliveryRecordedData = z.infer<typeof DeliveryRecorded.schema>;
