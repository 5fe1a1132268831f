import { z } from 'zod';
import { MAX_PLAN_PAGE } from '../read-model/plan.read-model';

/*
 * Request shapes of the plans API: strict objects (unknown fields are a 400), bounded strings.
 * The OpenAPI document shows the same schemas (openApiSchema of @leadership/platform-nest).
 */

const id = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an id of 1-128 letters, digits, ".", "_", ":" or "-"');

export const draftPlanBody = z.strictObject({ newcomerId: id, unitId: id });
export const planIdParam = id;
export const planListQuery = z.strictObject({
  status: z.enum(['draft', 'active', 'completed']).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PLAN_PAGE).default(20),
});
