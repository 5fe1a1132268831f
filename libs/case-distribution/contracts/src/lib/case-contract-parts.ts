import { z } from 'zod';

/*
 * Schema parts the case distribution contracts share (one definition, so the compacted state,
 * the assignment events and the intake payload cannot drift apart).
 */

export const instant = z.iso.datetime({ offset: true });

/** P1 is the most urgent. */
export const prioritySchema = z.enum(['P1', 'P2', 'P3', 'P4']);

/** A skill a case asks for, `level` the minimum (1 basic … 5 expert). */
export const skillSchema = z.strictObject({ name: z.string().trim().min(1).max(100), level: z.number().int().min(1).max(5) });

/** Channel of a case (e.g. `email`, `chat`, `phone`); queues weigh channels. */
export const channelSchema = z.string().trim().min(1).max(50);

/**
 * The authority a decision relied on, stored with it: a mandate (its id and version), being the
 * unit's formal manager, or the queue's routing policy.
 */
export const decisionStampSchema = z.strictObject({
  basis: z.enum(['mandate', 'formal-manager', 'routing-policy']),
  mandateId: z.string().min(1).nullable(),
  mandateVersion: z.number().int().nonnegative().nullable(),
  actorId: z.string().min(1),
});

export type DecisionStampData = z.infer<typeof decisionStampSchema>;
