import { InvalidFrameworkCheckError, type FrameworkRule } from '@leadership/delegation-domain';

/**
 * The catalogue of machine-checkable framework rules the contexts publish (see
 * `FrameworkCheckCatalogue` in the delegation contracts; the composition root assembles it).
 */
export interface FrameworkChecks {
  /** One entry per rule whose `check` names an unknown kind or params its kind refuses. */
  problemsWith(rules: readonly FrameworkRule[]): readonly { readonly ruleId: string; readonly problem: string }[];
}

/** Without a catalogue no kind is known: a rule with a `check` is refused rather than stored unchecked. */
export const NO_FRAMEWORK_CHECKS: FrameworkChecks = {
  problemsWith: (rules) => rules.filter((rule) => rule.check !== undefined).map((rule) => ({ ruleId: rule.id, problem: `unknown check kind ${rule.check?.kind ?? ''} (no catalogue)` })),
};

/** Refuses the framework (422 `mandate.invalid-framework-check`) when any rule's check is not in the catalogue. */
export function assertFrameworkChecks(checks: FrameworkChecks, rules: readonly FrameworkRule[] | undefined): void {
  if (!rules) return;
  const problems = checks.problemsWith(rules);
  if (problems.length > 0) throw new InvalidFrameworkCheckError(problems);
}
