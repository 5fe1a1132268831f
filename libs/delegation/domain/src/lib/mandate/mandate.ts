/** Where a mandate applies: a unit, optionally narrowed to one queue or one project of that unit. */
export interface MandateScope {
  readonly unitId: string;
  readonly queueId?: string;
  readonly projectId?: string;
}

/** Why the task is delegated and how success is recognised. */
export interface MandateDirection {
  readonly purpose: string;
  readonly successCriteria: readonly string[];
}

/**
 * A machine-checkable form of a framework rule: a `kind` from the catalogue the contexts where
 * delegated work happens publish (e.g. `cases.max-load-percent` from case distribution), and the
 * parameters that kind takes. The context that owns the kind checks each delegated action against
 * it; the delegation service only accepts kinds and parameters the catalogue knows.
 */
export interface FrameworkCheck {
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A boundary of the mandate: `enforce` rules block an action, `warn` rules let it pass with a warning. */
export interface FrameworkRule {
  readonly id: string;
  readonly text: string;
  readonly mode: 'warn' | 'enforce';
  /** Set when the rule is machine-checkable; without it the rule is for people to follow. */
  readonly check?: FrameworkCheck;
}

/** The boundaries within which the delegate acts. */
export interface MandateFramework {
  readonly rules: readonly FrameworkRule[];
  /** Decisions the formal manager keeps (free text, e.g. "dismissals", "budget over 5k"). */
  readonly reservedDecisions: readonly string[];
  /** Person to escalate to when a decision is beyond the framework. */
  readonly escalationContactId: string;
}

/** Always bounded: `from` inclusive, `until` exclusive, ISO-8601 instants with offset. */
export interface MandatePeriod {
  readonly from: string;
  readonly until: string;
}

/**
 * What entitled the delegator to issue the mandate: being a formal manager of the scope unit, or
 * holding a mandate of a task type that allows re-delegation (the chain `whyAllowed` follows).
 */
export type MandateBasis =
  | { readonly kind: 'formal-manager' }
  | { readonly kind: 'mandate'; readonly mandateId: string };

export type MandateEndReason = 'revoked' | 'relinquished' | 'expired' | 'completed';

/** Why a mandate awaits reconfirmation by a formal manager of its unit. */
export type ReconfirmationReason = 'delegator-no-longer-manages' | 'basis-mandate-ended';

/** A suspension interval; `until` null while the mandate is still suspended. */
export interface SuspensionWindow {
  readonly from: string;
  readonly until: string | null;
  readonly reason: string;
}

export const MIN_REVIEW_CADENCE_DAYS = 1;
/** A review less often than yearly is no review. */
export const MAX_REVIEW_CADENCE_DAYS = 365;

/** Scope equality as used for exclusivity: same unit, same queue, same project. */
export function sameScope(a: MandateScope, b: MandateScope): boolean {
  return a.unitId === b.unitId && (a.queueId ?? null) === (b.queueId ?? null) && (a.projectId ?? null) === (b.projectId ?? null);
}

/** Stable text form of a scope, e.g. `unit-1/queue:q-7`; used in keys and messages. */
export function scopeKey(scope: MandateScope): string {
  return [scope.unitId, scope.queueId && `queue:${scope.queueId}`, scope.projectId && `project:${scope.projectId}`]
    .filter(Boolean)
    .join('/');
}
