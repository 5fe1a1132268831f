import { z } from 'zod';

/*
 * Schema parts the onboarding contracts share (one definition, so integration events and REST
 * bodies cannot drift apart). Ids, never names or e-mail addresses.
 */

export const instant = z.iso.datetime({ offset: true });
export const id = z.string().trim().min(1).max(128);
/** A local calendar date `YYYY-MM-DD` in the newcomer's zone. */
export const localDate = z.iso.date();
/** A local wall-clock time `HH:MM`. */
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM');
/** An IANA time-zone name (`Europe/Stockholm`); the service checks that the runtime knows it. */
export const timeZone = z.string().regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, 'an IANA time zone such as Europe/Stockholm').max(64);
/** Step keys: short kebab-case names, unique within a programme or plan. */
export const stepKey = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, '1-64 lower-case letters, digits and "-"');

/** The authority a decision relied on: a mandate (id and version) or being the unit's formal manager. */
export const decisionStampSchema = z.strictObject({
  basis: z.enum(['mandate', 'formal-manager']),
  mandateId: z.string().min(1).nullable(),
  mandateVersion: z.number().int().nonnegative().nullable(),
  actorId: z.string().min(1),
});

/** A task type held by mandate in a unit ("the case manager of support"). */
export const roleAddressSchema = z.strictObject({ taskType: z.string().trim().min(1).max(64), unitId: id });

/** Who presents: a person, whoever holds a role (resolved when booked and whenever it changes hands), or someone with a skill. */
export const presenterAddressSchema = z.union([
  z.strictObject({ personId: id }),
  z.strictObject({ role: roleAddressSchema }),
  z.strictObject({ skill: z.string().trim().min(1).max(100) }),
]);

/** Who does a task: a role relative to the newcomer, or a named person. */
export const taskOwnerSchema = z.union([z.enum(['newcomer', 'manager', 'buddy', 'it']), z.strictObject({ personId: id })]);

/**
 * How a booked presenter was found; a role's resolution names the mandate that made them its holder,
 * or — with `standIn` — the holder's mandate they stand in for after the holder said no to the session.
 */
export const presenterResolutionSchema = z.discriminatedUnion('basis', [
  z.strictObject({ basis: z.literal('person') }),
  z.strictObject({
    basis: z.literal('role'),
    role: roleAddressSchema,
    mandateId: z.string().min(1),
    mandateVersion: z.number().int().nonnegative(),
    /** Absent: the holder. `deputy` (named on the holder's mandate) or `formal-manager` (of the unit): asked after the holder declined or let the request expire. */
    standIn: z.enum(['deputy', 'formal-manager']).optional(),
  }),
  z.strictObject({ basis: z.literal('skill'), skill: z.string().min(1) }),
]);

export type DecisionStampData = z.infer<typeof decisionStampSchema>;
