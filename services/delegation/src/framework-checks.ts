import { caseFrameworkChecks } from '@leadership/case-distribution-contracts';
import type { FrameworkCheckDefinition } from '@leadership/delegation-contracts';

/**
 * The framework-check kinds mandates may carry: every context where delegated work is checked
 * against mandates publishes its kinds in its contracts, and this composition root assembles them
 * (the delegation service accepts a rule's `check` only when its kind is listed here).
 */
export const delegationFrameworkChecks: readonly FrameworkCheckDefinition[] = [...caseFrameworkChecks];
