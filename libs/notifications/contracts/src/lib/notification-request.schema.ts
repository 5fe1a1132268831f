import { z } from 'zod';
import { categorySchema, resolvedRecipientSchema, templateDataSchema } from './notification-contract-parts';

/**
 * One recipient address: a person id, or `role:<taskType>@unit:<unitId>` (e.g.
 * `role:case-distribution@unit:support`), resolved from the mandates in force when the notification
 * is sent: the holder; the deputy while the mandate is suspended or the holder absent; otherwise the
 * unit's formal managers. `role:formal-manager@unit:<unitId>` names the formal managers. The
 * service parses addresses strictly and answers 400 `recipient.address-invalid` for a malformed one
 * (the grammar lives in the domain's parser only, so there is one evaluator of it).
 */
export const recipientAddressSchema = z.string().trim().min(1).max(200);

/** `POST /notifications` (role `system`, with `Idempotency-Key`): a notification from another service or department. */
export const notificationRequestSchema = z.strictObject({
  /** One address or up to 50. */
  to: z.union([recipientAddressSchema, z.array(recipientAddressSchema).min(1).max(50)]),
  category: categorySchema,
  /** A template key of the service (e.g. `case.sla-at-risk`), or your own subject and body; both may use `{{variable}}` from `data`. */
  template: z.union([
    z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'a template key such as case.sla-at-risk').max(100),
    z.strictObject({ subject: z.string().trim().min(1).max(200), body: z.string().trim().min(1).max(10_000) }),
  ]),
  data: templateDataSchema.optional(),
  /** Critical notifications ignore channels switched off, quiet hours and digests. */
  critical: z.boolean().optional(),
});

export type NotificationRequest = z.infer<typeof notificationRequestSchema>;

/**
 * 202 answer of `POST /notifications`: the notification and whom it went to, and why — resolved
 * before the answer (roles from mandates known fresh; otherwise 503 and nothing is accepted).
 */
export const notificationAcceptedSchema = z.strictObject({
  notificationId: z.string().min(1),
  recipients: z.array(resolvedRecipientSchema),
  /** Addresses that reached nobody (a role whose unit has no holder and no formal manager). */
  unresolved: z.array(z.string().min(1)),
});

export type NotificationAccepted = z.infer<typeof notificationAcceptedSchema>;
