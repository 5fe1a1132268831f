import { assertNever } from '@leadership/kernel';
import { comparePriority, type Priority } from '../shared/case-vocabulary';

/*
 * Machine-checkable framework rules of a mandate. The catalogue of kinds and their parameter
 * schemas is published in @leadership/case-distribution-contracts (the delegation service accepts
 * only kinds from it); this is the one evaluator. The application parses a mandate's rules with the
 * contract schemas and hands them here with the facts of the action.
 */

/** The kinds of check this context evaluates (the contracts catalogue lists the same kinds). */
export type FrameworkCheck =
  /** After the action the assignee's load is at most `percent` % of their capacity. */
  | { readonly kind: 'cases.max-load-percent'; readonly params: { readonly percent: number } }
  /** No case is assigned to someone in an absence or an unavailability window. */
  | { readonly kind: 'cases.no-assign-to-absent'; readonly params: Readonly<Record<string, never>> }
  /** A manual priority is never more urgent than `highest` (P1 is the most urgent). */
  | { readonly kind: 'cases.priority-ceiling'; readonly params: { readonly highest: Priority } }
  /** Actions only on (and overflow only to) these queues. */
  | { readonly kind: 'cases.queues-allowed'; readonly params: { readonly queueIds: readonly string[] } };

export type FrameworkCheckKind = FrameworkCheck['kind'];

/** `enforce` refuses the action; `warn` lets it happen and records a warning for the delegator. */
export type FrameworkRuleMode = 'enforce' | 'warn';

/** A framework rule of the mandate in force that carries a check. */
export type FrameworkRuleCheck = FrameworkCheck & {
  readonly mode: FrameworkRuleMode;
  /** The rule's id in the mandate, when it has one (named in refusals and warnings). */
  readonly ruleId?: string;
};

/** The manual action the mandate holder is about to take. */
export type CaseAction =
  | { readonly type: 'assign' | 'reassign'; readonly queueId: string; readonly assigneeId: string }
  | { readonly type: 'prioritise'; readonly queueId: string; readonly priority: Priority }
  | { readonly type: 'overflow'; readonly queueId: string; readonly toQueueId: string | null }
  | { readonly type: 'configure-queue'; readonly queueId: string };

/** What the application knows about the action's assignee (absent: the check does not apply). */
export interface CaseActionFacts {
  readonly assignee?: {
    /** Load in weight units before the action (assigned and offered cases). */
    readonly load: number;
    readonly capacity: number;
    /** Weight of the case being assigned (its channel's weight in the queue). */
    readonly caseWeight: number;
    /** In an absence or an unavailability window at the time of the action. */
    readonly absent: boolean;
  };
}

/** A broken rule: `enforce` ones refuse the action, `warn` ones are recorded. */
export interface FrameworkViolation {
  readonly kind: FrameworkCheckKind;
  readonly mode: FrameworkRuleMode;
  readonly ruleId: string | null;
  readonly message: string;
}

/** The message when the rule is broken, undefined when it holds or does not apply to the action. */
function violated(check: FrameworkCheck, action: CaseAction, facts: CaseActionFacts): string | undefined {
  const assigns = action.type === 'assign' || action.type === 'reassign';
  switch (check.kind) {
    case 'cases.max-load-percent': {
      if (!assigns || !facts.assignee) return undefined;
      const { load, capacity, caseWeight } = facts.assignee;
      const after = load + caseWeight;
      // Capacity 0 means "takes no cases": any load is over any percentage of it.
      if (capacity > 0 ? (after / capacity) * 100 <= check.params.percent : false) return undefined;
      return `the assignee's load would be ${after} of a capacity of ${capacity}, above ${check.params.percent}%`;
    }
    case 'cases.no-assign-to-absent':
      return assigns && facts.assignee?.absent ? `${action.assigneeId} is absent` : undefined;
    case 'cases.priority-ceiling':
      return action.type === 'prioritise' && comparePriority(action.priority, check.params.highest) < 0
        ? `priority ${action.priority} is above the ceiling ${check.params.highest}`
        : undefined;
    case 'cases.queues-allowed': {
      const queues = action.type === 'overflow' && action.toQueueId !== null ? [action.queueId, action.toQueueId] : [action.queueId];
      const outside = queues.filter((queueId) => !check.params.queueIds.includes(queueId));
      return outside.length > 0 ? `queue ${outside.join(', ')} is outside the allowed queues` : undefined;
    }
    default:
      return assertNever(check);
  }
}

/**
 * Checks an action against the mandate's framework rules. Pure: the caller gathers the facts.
 * Returns every broken rule (enforce and warn), in the order of the rules.
 */
export function checkFrameworkRules(rules: readonly FrameworkRuleCheck[], action: CaseAction, facts: CaseActionFacts): FrameworkViolation[] {
  return rules.flatMap((rule) => {
    const message = violated(rule, action, facts);
    return message === undefined ? [] : [{ kind: rule.kind, mode: rule.mode, ruleId: rule.ruleId ?? null, message }];
  });
}
