import { z } from 'zod';
import { MAX_PLAN_PAGE } from '../read-model/plan.read-model';

/*
 * Request shapes of the plans API: strict objects (unknown fields are a 400), bounded strings.
 * The OpenAPI document shows the same schemas (openApiSchema of @leadership/platform-nest).
 */

export const registerPlanBody = z.strictObject({ title: z.string().trim().min(1).max(200) });
export const closePlanBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const planIdParam = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an id of 1-128 letters, digits, ".", "_", ":" or "-"');
export const planListQuery = z.strictObject({
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PLAN_PAGE).default(20),
});
