import { z } from 'zod';

/*
 * The machine-checkable framework rules the onboarding context evaluates. A mandate's framework
 * rule may carry `check: { kind, params }` with a kind from this catalogue; the delegation service
 * validates the params against these schemas, this service evaluates them when its decisions are made.
 */

/**
 * One entry of the catalogue; structurally a `FrameworkCheckDefinition` of the delegation
 * contracts (kind, context, summary, params), so the delegation service's composition root can list it.
 */
export interface OnboardingFrameworkCheckDefinition<Params extends z.ZodType = z.ZodType> {
  readonly kind: string;
  readonly context: 'onboarding';
  readonly summary: string;
  /** Which decisions it applies to. */
  readonly appliesTo: readonly ('book-presenter' | 'generate-plan' | 'edit-plan')[];
  readonly params: Params;
}

/** Colleagues are not worn out by presenting: at most `max` confirmed or requested sessions per ISO week. */
export const maxSessionsPerPresenterPerWeek = {
  kind: 'onboarding.max-sessions-per-presenter-per-week',
  context: 'onboarding',
  summary: 'A presenter request leaves the colleague with at most `max` onboarding sessions (requested or confirmed) in that ISO week.',
  appliesTo: ['book-presenter'],
  params: z.strictObject({ max: z.number().int().min(1).max(40) }),
} as const satisfies OnboardingFrameworkCheckDefinition;

/** Colleagues get notice: no request for a session that starts sooner than `days` days after it is made. */
export const minPresenterNoticeDays = {
  kind: 'onboarding.min-presenter-notice-days',
  context: 'onboarding',
  summary: 'A presenter is asked at least `days` days before the session starts.',
  appliesTo: ['book-presenter'],
  params: z.strictObject({ days: z.number().int().min(0).max(60) }),
} as const satisfies OnboardingFrameworkCheckDefinition;

/** The catalogue: every kind this context publishes. */
export const onboardingFrameworkChecks = [maxSessionsPerPresenterPerWeek, minPresenterNoticeDays] as const;

export type OnboardingFrameworkCheckKind = (typeof onboardingFrameworkChecks)[number]['kind'];

/** `check: { kind, params }` of a framework rule, validated against the catalogue. */
export const onboardingFrameworkCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal(maxSessionsPerPresenterPerWeek.kind), params: maxSessionsPerPresenterPerWeek.params }),
  z.strictObject({ kind: z.literal(minPresenterNoticeDays.kind), params: minPresenterNoticeDays.params }),
]);

export type OnboardingFrameworkCheck = z.infer<typeof onboardingFrameworkCheckSchema>;
