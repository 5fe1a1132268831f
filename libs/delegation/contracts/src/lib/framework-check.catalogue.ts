import { z } from 'zod';

/**
 * One kind of machine-checkable framework rule, published by the context that evaluates it (case
 * distribution publishes `cases.*`). The delegation service accepts a rule's `check` only when its
 * kind is in the catalogue assembled from these definitions and its params parse, so every check
 * stored on a mandate is one some context can evaluate.
 */
export interface FrameworkCheckDefinition {
  /** `<area>.<name>` in kebab-case, e.g. `cases.max-load-percent`. */
  readonly kind: string;
  /** The context that evaluates it (e.g. `case-distribution`). */
  readonly context: string;
  /** What the check refuses or warns about, for the people writing mandates. */
  readonly summary: string;
  /** The params the kind takes (strict: an unknown key is refused, not ignored). */
  readonly params: z.ZodType<Readonly<Record<string, unknown>>>;
}

/** What `GET /framework-checks` lists for each kind. */
export interface FrameworkCheckDescription {
  readonly kind: string;
  readonly context: string;
  readonly summary: string;
  /** JSON Schema of the params. */
  readonly params: unknown;
}

export const FRAMEWORK_CHECK_KIND_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** A rule as far as the catalogue cares: its id and its optional check. */
interface RuleWithCheck {
  readonly id: string;
  readonly check?: { readonly kind: string; readonly params: Readonly<Record<string, unknown>> };
}

/** The framework-check kinds every context publishes, in one place; validates the checks of a mandate's rules. */
export class FrameworkCheckCatalogue {
  private readonly byKind = new Map<string, FrameworkCheckDefinition>();

  constructor(definitions: readonly FrameworkCheckDefinition[]) {
    for (const definition of definitions) {
      if (!FRAMEWORK_CHECK_KIND_PATTERN.test(definition.kind)) throw new Error(`framework check kind "${definition.kind}" is not <area>.<name> in kebab-case`);
      if (this.byKind.has(definition.kind)) throw new Error(`framework check kind ${definition.kind} is published twice`);
      this.byKind.set(definition.kind, definition);
    }
  }

  /** One problem per rule whose check is unknown or has params its kind refuses; empty when all are fine. */
  problemsWith(rules: readonly RuleWithCheck[]): { ruleId: string; problem: string }[] {
    const problems: { ruleId: string; problem: string }[] = [];
    for (const rule of rules) {
      if (!rule.check) continue;
      const definition = this.byKind.get(rule.check.kind);
      if (!definition) {
        problems.push({ ruleId: rule.id, problem: `unknown check kind ${rule.check.kind} (known: ${[...this.byKind.keys()].join(', ') || 'none'})` });
        continue;
      }
      const parsed = definition.params.safeParse(rule.check.params);
      if (!parsed.success) problems.push({ ruleId: rule.id, problem: `params of ${rule.check.kind}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'} ${i.message}`).join(', ')}` });
    }
    return problems;
  }

  describe(): FrameworkCheckDescription[] {
    return [...this.byKind.values()].map(({ kind, context, summary, params }) => ({ kind, context, summary, params: z.toJSONSchema(params) }));
  }
}
