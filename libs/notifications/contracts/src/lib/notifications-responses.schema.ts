import { z } from 'zod';
import { channelSchema, deliveryAttemptsSchema, deliveryStatusSchema, instant, resolvedRecipientSchema, sourceSchema } from './notification-contract-parts';

/** `GET /inbox` (the caller's): newest first; `id` is the item's id for `POST /inbox/{id}/read`. */
export const inboxResponseSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string().min(1),
      category: z.string().min(1),
      title: z.string(),
      body: z.string(),
      read: z.boolean(),
      createdAt: instant,
      source: sourceSchema,
    }),
  ),
});

/** `GET /deliveries?recipientId&from&to` (compliance): every delivery with the resolution behind it and its attempts. */
export const deliveriesResponseSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      deliveryId: z.string().min(1),
      notificationId: z.string().min(1),
      recipientId: z.string().min(1),
      channel: channelSchema,
      status: deliveryStatusSchema,
      ...resolvedRecipientSchema.omit({ personId: true }).shape,
      ...deliveryAttemptsSchema.shape,
      /** When it is or was due: the planned send time, moved on by each retry and replay. */
      plannedAt: instant,
      /** When it was planned (the `from`/`to` filter and the order, newest first). */
      createdAt: instant,
      deliveredAt: instant.nullable(),
    }),
  ),
});

export type DeliveriesResponse = z.infer<typeof deliveriesResponseSchema>;
