import { z } from 'zod';
import { id, localDate, localTime, presenterAddressSchema, roleAddressSchema, stepKey, taskOwnerSchema, timeZone } from './onboarding-contract-parts';

/*
 * Request bodies of the onboarding REST API (exact paths: other tools call them). Strict objects:
 * unknown fields are a 400. The domain checks the rules across fields (sessions need a time and a
 * duration, conditions name existing steps without circles) and answers 422 naming the rule.
 */

const title = z.string().trim().min(1).max(200);
const reason = z.string().trim().min(1).max(2000);

/** One step of a programme, or a step added to a plan. */
export const stepBody = z.strictObject({
  key: stepKey,
  kind: z.enum(['session', 'task']),
  title,
  /** Days from the start date; negative: before it. */
  dayOffset: z.number().int().min(-90).max(365),
  time: localTime.optional(),
  durationMinutes: z.number().int().min(1).max(480).optional(),
  capacity: z.number().int().min(1).max(1000).optional(),
  audience: z.string().trim().min(1).max(200).optional(),
  location: z.string().trim().min(1).max(200).optional(),
  link: z.url({ protocol: /^https$/ }).max(2000).optional(),
  presenter: presenterAddressSchema.optional(),
  owner: taskOwnerSchema.optional(),
  after: stepKey.optional(),
});

/** `PUT /programmes/{id}`: defines the programme or replaces it with a new version (authority `onboarding.plan` or formal manager). */
export const putProgrammeBody = z.strictObject({
  unitId: id,
  title,
  steps: z.array(stepBody).min(1).max(200),
});

/** `POST /newcomers`: generates the newcomer's plan (201 `{ newcomerId, … }`). */
export const createNewcomerBody = z.strictObject({
  personId: id,
  unitId: id,
  startDate: localDate,
  timeZone,
  programmeIds: z.array(id).min(1).max(10),
});

/** The fields of a step a plan edit may set; null clears an optional one. */
const stepChangesBody = z.strictObject({
  title: title.optional(),
  dayOffset: z.number().int().min(-90).max(365).optional(),
  time: localTime.nullable().optional(),
  durationMinutes: z.number().int().min(1).max(480).nullable().optional(),
  capacity: z.number().int().min(1).max(1000).nullable().optional(),
  audience: z.string().trim().min(1).max(200).nullable().optional(),
  location: z.string().trim().min(1).max(200).nullable().optional(),
  link: z.url({ protocol: /^https$/ }).max(2000).nullable().optional(),
  presenter: presenterAddressSchema.nullable().optional(),
  owner: taskOwnerSchema.nullable().optional(),
  after: stepKey.nullable().optional(),
});

/**
 * `PATCH /newcomers/{id}/plan` (If-Match: the plan version): edits of this newcomer's plan only,
 * applied in order as one change; the programme is untouched.
 */
export const patchPlanBody = z.strictObject({
  edits: z
    .array(
      z.discriminatedUnion('op', [
        z.strictObject({ op: z.literal('change'), key: stepKey, changes: stepChangesBody }),
        z.strictObject({ op: z.literal('add'), step: stepBody }),
        z.strictObject({ op: z.literal('remove'), key: stepKey, reason }),
        z.strictObject({ op: z.literal('complete-task'), key: stepKey }),
        z.strictObject({ op: z.literal('complete-plan') }),
      ]),
    )
    .min(1)
    .max(50),
});

/** `POST /sessions/{id}/presenter-requests` (`onboarding.book-presenter`): exactly one of person, role or skill. */
export const presenterRequestBody = z.union([
  z.strictObject({ personId: id }),
  z.strictObject({ role: roleAddressSchema }),
  z.strictObject({ skill: z.string().trim().min(1).max(100) }),
]);

/** `POST /bookings/{id}/decline`: the reason goes to the onboarding manager. */
export const declineBookingBody = z.strictObject({ reason });

export type StepBody = z.infer<typeof stepBody>;
export type PutProgrammeBody = z.infer<typeof putProgrammeBody>;
export type CreateNewcomerBody = z.infer<typeof createNewcomerBody>;
export type PatchPlanBody = z.infer<typeof patchPlanBody>;
export type PresenterRequestBody = z.infer<typeof presenterRequestBody>;
