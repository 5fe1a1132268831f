import type { JsonSchema } from '@leadership/messaging-contracts';
import { z } from 'zod';
import { prioritySchema } from './case-contract-parts';

/*
 * The machine-checkable framework rules the case distribution context evaluates. A mandate's
 * framework rule may carry `check: { kind, params }` with a kind from this catalogue; the
 * delegation service validates the params against these schemas when a mandate is proposed or
 * amended, and this service evaluates them (enforce: refused with 422 naming the rule; warn:
 * recorded and reported to the delegator).
 */

/**
 * One entry of the catalogue; structurally a `FrameworkCheckDefinition` of the delegation
 * contracts (kind, context, summary, params), so the delegation service's composition root can
 * list these entries as they are.
 */
export interface CaseFrameworkCheckDefinition<Params extends z.ZodType = z.ZodType> {
  readonly kind: string;
  /** The context that evaluates it. */
  readonly context: 'case-distribution';
  /** What the check means, for the person writing the mandate. */
  readonly summary: string;
  /** Which actions it applies to. */
  readonly appliesTo: readonly ('assign' | 'reassign' | 'prioritise' | 'overflow' | 'configure-queue')[];
  readonly params: Params;
}

const define = <const Kind extends string, Params extends z.ZodType>(definition: Omit<CaseFrameworkCheckDefinition<Params>, 'context'> & { kind: Kind }) => ({
  ...definition,
  context: 'case-distribution' as const,
});

/** After an assignment the assignee's load is at most `percent` % of their capacity. */
export const maxLoadPercentCheck = define({
  kind: 'cases.max-load-percent',
  summary: 'An assignment or reassignment leaves the assignee at most `percent` % of their capacity loaded (100 forbids going over capacity).',
  appliesTo: ['assign', 'reassign'],
  params: z.strictObject({ percent: z.number().int().min(1).max(1000) }),
});

/** No case goes to someone absent or busy elsewhere. */
export const noAssignToAbsentCheck = define({
  kind: 'cases.no-assign-to-absent',
  summary: 'No assignment or reassignment to a person in an absence or in a window of work elsewhere (e.g. an onboarding session).',
  appliesTo: ['assign', 'reassign'],
  params: z.strictObject({}),
});

/** Manual priorities stay at or below a ceiling. */
export const priorityCeilingCheck = define({
  kind: 'cases.priority-ceiling',
  summary: 'A manual priority is never more urgent than `highest` (P1 is the most urgent; P2 forbids raising a case to P1).',
  appliesTo: ['prioritise'],
  params: z.strictObject({ highest: prioritySchema }),
});

/** Decisions only on the listed queues. */
export const queuesAllowedCheck = define({
  kind: 'cases.queues-allowed',
  summary: 'Decisions only on cases of the listed queues, and overflow only into them.',
  appliesTo: ['assign', 'reassign', 'prioritise', 'overflow', 'configure-queue'],
  params: z.strictObject({ queueIds: z.array(z.string().min(1)).min(1) }),
});

/** The catalogue: every kind this context publishes. */
export const caseFrameworkChecks = [maxLoadPercentCheck, noAssignToAbsentCheck, priorityCeilingCheck, queuesAllowedCheck] as const;

export type CaseFrameworkCheckKind = (typeof caseFrameworkChecks)[number]['kind'];

export const caseFrameworkCheckKinds = caseFrameworkChecks.map((check) => check.kind) as readonly CaseFrameworkCheckKind[];

/** `check: { kind, params }` of a framework rule, validated against the catalogue. */
export const caseFrameworkCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal(maxLoadPercentCheck.kind), params: maxLoadPercentCheck.params }),
  z.strictObject({ kind: z.literal(noAssignToAbsentCheck.kind), params: noAssignToAbsentCheck.params }),
  z.strictObject({ kind: z.literal(priorityCeilingCheck.kind), params: priorityCeilingCheck.params }),
  z.strictObject({ kind: z.literal(queuesAllowedCheck.kind), params: queuesAllowedCheck.params }),
]);

export type CaseFrameworkCheck = z.infer<typeof caseFrameworkCheckSchema>;

/** The catalogue as plain JSON (kinds, descriptions, JSON Schemas of the params), for a service that reads no zod. */
export function caseFrameworkCheckCatalogue(): readonly { kind: CaseFrameworkCheckKind; summary: string; appliesTo: readonly string[]; paramsSchema: JsonSchema }[] {
  return caseFrameworkChecks.map((check) => ({
    kind: check.kind,
    summary: check.summary,
    appliesTo: check.appliesTo,
    paramsSchema: z.toJSONSchema(check.params, { target: 'draft-7' }) as JsonSchema,
  }));
}
