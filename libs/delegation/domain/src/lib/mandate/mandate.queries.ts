import { addDays, isAtOrAfter, isBefore } from '../shared/instant';
import { sameScope, type MandatePeriod, type MandateScope } from './mandate';
import type { ExistingMandate, MandateStatus } from './mandate.state';

/** A mandate as a projection holds it: its state plus `version`, the stream revision of its last event. */
export type MandateSnapshot = ExistingMandate & { readonly version: number };

/**
 * In force at `t`: activated by then, within the period, not suspended at `t`, not ended by `t`.
 * Authorities pending acceptance are never in force. Uses the timeline the state keeps
 * (activation, suspension windows, end), so it answers for past instants too, as long as the
 * terms themselves (authorities, period) did not change since; for that, fold the events as of
 * `t` first (`mandatesAsOf`).
 */
export function isInForceAt(mandate: ExistingMandate, t: string): boolean {
  if (mandate.activatedAt === null || isBefore(t, mandate.activatedAt)) return false;
  if (isBefore(t, mandate.period.from) || isAtOrAfter(t, mandate.period.until)) return false;
  if (mandate.status === 'ended' && isAtOrAfter(t, mandate.endedAt)) return false;
  return !mandate.suspensions.some((window) => isAtOrAfter(t, window.from) && (window.until === null || isBefore(t, window.until)));
}

/** The place an action happens: a unit, and possibly the queue or project it concerns. */
export interface ActionScope {
  readonly unitId: string;
  readonly queueId?: string;
  readonly projectId?: string;
}

/**
 * Whether a mandate's scope covers an action: same unit, and if the mandate is narrowed to a queue
 * or project, the action concerns that one. A unit-wide mandate covers all its queues and projects;
 * it does not cover sub-units (delegation grants no more than it names).
 */
export function coversScope(scope: MandateScope, action: ActionScope): boolean {
  if (scope.unitId !== action.unitId) return false;
  if (scope.queueId !== undefined && scope.queueId !== action.queueId) return false;
  return scope.projectId === undefined || scope.projectId === action.projectId;
}

/** When the next review is due: the cadence counted from the last check-in, or from activation. */
export function reviewDueAt(mandate: ExistingMandate): string | null {
  const last = mandate.lastCheckInAt ?? mandate.activatedAt;
  return last === null ? null : addDays(last, mandate.reviewCadenceDays);
}

/** Statuses that hold a claim on a scope (an unanswered proposal counts: first come, first served). */
const CLAIMING: readonly MandateStatus[] = ['proposed', 'accepted', 'active', 'suspended'];

function periodsOverlap(a: MandatePeriod, b: MandatePeriod): boolean {
  return isBefore(a.from, b.until) && isBefore(b.from, a.until);
}

/**
 * For the application computing `overlappingExclusiveMandateId`: another live mandate of the same
 * task type with exactly the same scope whose period overlaps the candidate's. Exclusivity itself
 * (whether the type is exclusive) is judged by the decider.
 */
export function findOverlappingMandate(
  mandates: readonly ExistingMandate[],
  candidate: { readonly mandateId: string; readonly taskType: string; readonly scope: MandateScope; readonly period: MandatePeriod },
): string | undefined {
  return mandates.find(
    (other) =>
      other.mandateId !== candidate.mandateId &&
      other.taskType === candidate.taskType &&
      CLAIMING.includes(other.status) &&
      sameScope(other.scope, candidate.scope) &&
      periodsOverlap(other.period, candidate.period),
  )?.mandateId;
}
