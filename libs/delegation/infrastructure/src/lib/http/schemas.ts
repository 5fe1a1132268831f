import { FRAMEWORK_CHECK_KIND_PATTERN } from '@leadership/delegation-contracts';
import { z } from 'zod';
import { AUTHORITY_PATTERN, DIRECTORY_ID_PATTERN, MAX_ABSENCES, MAX_SKILLS, SKILL_PATTERN, TASK_TYPE_KEY_PATTERN } from '@leadership/delegation-domain';

/*
 * Request schemas of the delegation API: strict objects (unknown fields are rejected with 400),
 * bounded sizes. The same schemas document the API (OpenAPI via z.toJSONSchema).
 */
const id = z.string().regex(DIRECTORY_ID_PATTERN, 'letters, digits and . _ : - only, at most 128 characters');
const instant = z.iso.datetime({ offset: true, message: 'an ISO-8601 instant with offset, e.g. 2026-01-01T00:00:00Z' });
const text = (max: number) => z.string().trim().min(1).max(max);

export const unitBody = z.strictObject({
  name: text(200),
  parentId: id.nullable(),
  managerIds: z.array(id).max(50),
});

export const personBody = z.strictObject({
  displayName: text(200),
  email: z.string().max(254),
  locale: z.string().max(35),
  unitIds: z.array(id).max(200),
  /** Skill names; left out, the person's skills stay as they are. */
  skills: z.array(z.string().regex(SKILL_PATTERN, 'letters, digits and . _ : + - only, at most 64 characters')).max(MAX_SKILLS).optional(),
});

/** The whole list of a person's absence periods `[from, to)`; no reason. */
export const absencesBody = z.strictObject({
  absences: z
    .array(z.strictObject({ absenceId: id.optional(), from: instant, to: instant }))
    .max(MAX_ABSENCES),
});

export const importBody = z.strictObject({
  units: z.array(unitBody.extend({ id })).max(20_000).optional(),
  people: z.array(personBody.extend({ id })).max(100_000).optional(),
});

/** One line of an NDJSON import: a unit or a person row of the JSON form, with its `kind`. */
export const importLine = z.discriminatedUnion('kind', [
  unitBody.extend({ kind: z.literal('unit'), id }),
  personBody.extend({ kind: z.literal('person'), id }),
]);

export const taskTypeBody = z.strictObject({
  title: text(200),
  grantableAuthorities: z.array(z.string().regex(AUTHORITY_PATTERN, 'area.action in kebab-case, e.g. cases.assign')).min(1).max(100),
  exclusive: z.boolean(),
  requiredScope: z.enum(['unit', 'queue', 'project']),
  maxPeriodDays: z.number().int().min(1).max(3660),
  allowsRedelegation: z.boolean(),
});
export const taskTypeKey = z.string().regex(TASK_TYPE_KEY_PATTERN, 'kebab-case, e.g. case-distribution');

const scope = z.strictObject({ unitId: id, queueId: id.optional(), projectId: id.optional() });
const direction = z.strictObject({ purpose: text(2000), successCriteria: z.array(text(500)).max(20) });
const framework = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        id: text(64),
        text: text(1000),
        mode: z.enum(['warn', 'enforce']),
        /** Machine-checkable form: a kind from GET /framework-checks and its params (checked against the catalogue). */
        check: z.strictObject({ kind: z.string().regex(FRAMEWORK_CHECK_KIND_PATTERN, '<area>.<name> in kebab-case, e.g. cases.max-load-percent'), params: z.record(z.string().max(64), z.unknown()) }).optional(),
      }),
    )
    .max(50),
  reservedDecisions: z.array(text(500)).max(50),
  escalationContactId: id,
});

export const proposeBody = z.strictObject({
  delegateId: id,
  taskType: taskTypeKey,
  scope,
  direction,
  framework,
  authorities: z.array(z.string().max(100)).max(100),
  period: z.strictObject({ from: instant, until: instant }),
  reviewCadenceDays: z.number().int(),
  deputyId: id.optional(),
});

export const reasonBody = z.strictObject({ reason: text(2000) });
export const emptyBody = z.strictObject({}).optional();
export const amendBody = z
  .strictObject({
    authorities: z.array(z.string().max(100)).max(100).optional(),
    direction: direction.optional(),
    framework: framework.optional(),
    deputyId: id.nullable().optional(),
    reviewCadenceDays: z.number().int().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export const extendBody = z.strictObject({ until: instant });
export const checkInBody = z.strictObject({ note: text(4000) });
export const completeBody = z.strictObject({ note: text(2000).optional() }).optional();

export const mandateListQuery = z.strictObject({
  unitId: id.optional(),
  delegateId: id.optional(),
  delegatorId: id.optional(),
  status: z.enum(['proposed', 'accepted', 'active', 'suspended', 'declined', 'ended']).optional(),
  taskType: taskTypeKey.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const authorityQuery = z.strictObject({
  personId: id,
  authority: z.string().regex(AUTHORITY_PATTERN, 'area.action, e.g. cases.assign'),
  unitId: id,
  queueId: id.optional(),
  projectId: id.optional(),
  at: instant.optional(),
});

export const atQuery = z.strictObject({ at: instant.optional() });
export const auditStateQuery = z.strictObject({
  unitId: id.optional(),
  at: instant,
  /** Cursor: the `next` of the previous page (a mandate id). */
  after: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const exportQuery = z.strictObject({ format: z.enum(['ndjson', 'csv']).default('ndjson'), from: instant.optional(), to: instant.optional() });

