import { z } from 'zod';
import { channelSchema, deliveryAttemptsSchema, instant } from './notification-contract-parts';

/** `whsec_` + base64 of 24–64 random bytes (Standard Webhooks). */
export const webhookSecretSchema = z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'whsec_ followed by base64').max(100);

/**
 * `PUT /webhooks/{id}` (admin). `url` is https (http only for localhost); `eventTypes` filter what
 * is sent: a type (`mandate.proposed`), a prefix (`mandate.*`) or `*`. Without `secret` the service
 * generates one for a new subscription (answered once) and keeps the current one otherwise; a new
 * secret rotates: the old one keeps signing alongside for 24 hours.
 */
export const webhookSubscriptionSchema = z.strictObject({
  url: z.url().max(2_000),
  eventTypes: z.array(z.string().regex(/^(\*|[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*(\.\*)?)$/).max(100)).min(1).max(50),
  secret: webhookSecretSchema.optional(),
});

export type WebhookSubscriptionBody = z.infer<typeof webhookSubscriptionSchema>;

/**
 * The body of every webhook request (Standard Webhooks envelope). Headers: `webhook-id` (the
 * delivery id, the same on retries and replays: de-duplicate on it), `webhook-timestamp` (Unix
 * seconds of the attempt) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`, several during a
 * secret rotation: accept the request when one matches).
 */
export const webhookPayloadSchema = z.strictObject({
  /** The workflow (`mandate.proposed`, `case.sla-at-risk`) or `api.<category>`. */
  type: z.string().min(1),
  /** When the notification was requested. */
  timestamp: instant,
  data: z.strictObject({
    notificationId: z.string().min(1),
    category: z.string().min(1),
    critical: z.boolean(),
    source: z.strictObject({ type: z.string().min(1), id: z.string().min(1) }),
    /** The texts in en-GB, for systems that show them. */
    subject: z.string(),
    text: z.string(),
    /** The facts behind the notification: ids, instants, the unit. No names or e-mail addresses. */
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  }),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** One entry of `GET /webhooks/{id}/deliveries`: the delivery log with response codes. */
export const webhookDeliveryLogEntrySchema = z.strictObject({
  deliveryId: z.string().min(1),
  notificationId: z.string().min(1),
  channel: channelSchema,
  status: z.enum(['scheduled', 'retrying', 'delivered', 'dead-lettered']),
  ...deliveryAttemptsSchema.shape,
});
