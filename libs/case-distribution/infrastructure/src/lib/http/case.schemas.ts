import { z } from 'zod';
import { caseSubmissionSchema } from '@leadership/case-distribution-contracts';
import { MAX_CASE_PAGE } from '../read-model/case.read-model';

/*
 * Request shapes of the case distribution API: strict objects (unknown fields are a 400),
 * bounded strings and numbers. The OpenAPI document shows the same schemas (openApiSchema).
 */

const id = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an id of 1-128 letters, digits, ".", "_", ":" or "-"');
const reason = z.string().trim().min(1).max(2000);
const priority = z.enum(['P1', 'P2', 'P3', 'P4']);
const skill = z.strictObject({ name: z.string().trim().min(1).max(100), level: z.number().int().min(1).max(5) });
const instant = z.iso.datetime({ offset: true });

/** `POST /cases` takes what the intake topic takes (one contract for both ways in). */
export const registerCaseBody = caseSubmissionSchema;
export const resolveCaseBody = z.strictObject({ resolution: z.string().trim().min(1).max(2000).optional() });
export const caseIdParam = id;
export const personIdParam = id;
export const queueIdParam = id;
export const caseListQuery = z.strictObject({
  queueId: id.optional(),
  status: z.enum(['queued', 'offered', 'assigned', 'resolved']).optional(),
  assigneeId: id.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CASE_PAGE).default(20),
});

export const declineOfferBody = z.strictObject({ reason });
export const assignCaseBody = z.strictObject({ assigneeId: id, reason, overCapacity: z.boolean().optional() });
export const prioritiseCaseBody = z.strictObject({ priority, reason });

const slaTargets = z.strictObject({ firstResponseMinutes: z.number().int().min(1).max(525_600), resolutionMinutes: z.number().int().min(1).max(525_600) });
export const queueBody = z.strictObject({
  unitId: id,
  name: z.string().trim().min(1).max(200),
  routing: z.strictObject({
    mode: z.enum(['most-available', 'least-active', 'round-robin']),
    pushTimeoutSeconds: z.number().int().min(5).max(86_400),
    skillRelaxationSeconds: z.number().int().min(0).max(604_800),
  }),
  sla: z.strictObject({ P1: slaTargets, P2: slaTargets, P3: slaTargets, P4: slaTargets }),
  channelWeights: z.record(z.string().trim().min(1).max(50), z.number().int().min(1).max(100)).refine((weights) => Object.keys(weights).length <= 50, 'at most 50 channels'),
  overflowQueueId: id.optional(),
});
export const queueAgentBody = z.strictObject({ capacity: z.number().int().min(0).max(1000), skills: z.array(skill).max(50) });
export const presenceBody = z.strictObject({ status: z.enum(['available', 'away', 'offline']) });
export const absenceBody = z.strictObject({ absenceId: id.optional(), from: instant, to: instant });
export const fairnessQuery = z.strictObject({ from: instant, to: instant });
export const decisionsQuery = z.strictObject({
  unitId: id.optional(),
  from: instant.optional(),
  to: instant.optional(),
  outsideMandate: z.enum(['true', 'false']).optional(),
});
