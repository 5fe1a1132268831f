import { z } from 'zod';
import { caseSubmissionSchema } from '@leadership/case-distribution-contracts';
import { MAX_CASE_PAGE } from '../read-model/case.read-model';

/*
 * Request shapes of the cases API: strict objects (unknown fields are a 400), bounded strings.
 * The OpenAPI document shows the same schemas (openApiSchema of @leadership/platform-nest).
 */

/** `POST /cases` takes what the intake topic takes (one contract for both ways in). */
export const registerCaseBody = caseSubmissionSchema;
export const resolveCaseBody = z.strictObject({ resolution: z.string().trim().min(1).max(2000).optional() });
export const caseIdParam = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an id of 1-128 letters, digits, ".", "_", ":" or "-"');
export const caseListQuery = z.strictObject({
  status: z.enum(['queued', 'offered', 'assigned', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CASE_PAGE).default(20),
});
