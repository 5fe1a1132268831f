import { z } from 'zod';

/* Schema parts the notifications contracts share (one definition, so REST bodies and events cannot drift apart). */

export const instant = z.iso.datetime({ offset: true });

/** Channels a notification reaches people or systems on. */
export const channelSchema = z.enum(['in-app', 'email', 'webhook']);

/** Why someone received a notification ("why did I get this?"). */
export const recipientBasisSchema = z.enum(['direct', 'mandate', 'deputy', 'formal-manager', 'subscription']);

/** A kebab-case category key (`mandates`, `cases`, `onboarding`); preferences are kept per category. */
export const categorySchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a kebab-case category such as cases').max(50);

/** What made a notification: a consumed event (CloudEvent type and id), or `api` and the Idempotency-Key. */
export const sourceSchema = z.strictObject({ type: z.string().min(1).max(200), id: z.string().min(1).max(200) });

/** A recipient and the authority behind the address: the mandate (and its version) for `mandate` and `deputy`. */
export const resolvedRecipientSchema = z.strictObject({
  personId: z.string().min(1),
  /** The address that led to the person: their id, or the role address. */
  address: z.string().min(1),
  basis: recipientBasisSchema,
  mandateId: z.string().min(1).nullable(),
  mandateVersion: z.number().int().nonnegative().nullable(),
});

/** Template variables: plain scalars (ids, titles, instants, counts). */
export const templateDataSchema = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/).max(64), z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()]));

/** Where a delivery stands: waiting for its time or its digest, retrying, or ended (delivered, dead-lettered, withdrawn from a role's former holder). */
export const deliveryStatusSchema = z.enum(['scheduled', 'digest', 'retrying', 'delivered', 'dead-lettered', 'withdrawn']);

/**
 * What a delivery's attempts say — why it is retrying or dead-lettered, and when it is tried next —
 * the same in the compliance log and in a webhook subscription's log.
 */
export const deliveryAttemptsSchema = z.strictObject({
  /** Attempts made (since the last replay; a replay starts again at 0). In-app items need none. */
  attempts: z.number().int().nonnegative(),
  lastAttemptAt: instant.nullable(),
  /** SMTP reply or HTTP status of the last attempt (null: none, or no answer). */
  lastResponseCode: z.number().int().nullable(),
  /** Why the last attempt failed (`connect ECONNREFUSED …`, `the directory has no e-mail address for the recipient`); null after a success. */
  lastError: z.string().nullable(),
  /** When the next attempt is due: an e-mail or webhook planned (quiet hours) or retrying after back-off; null for the others (delivered, dead-lettered, withdrawn, waiting for its digest, in-app). */
  nextAttemptAt: instant.nullable(),
});

export type DeliveryAttempts = z.infer<typeof deliveryAttemptsSchema>;
