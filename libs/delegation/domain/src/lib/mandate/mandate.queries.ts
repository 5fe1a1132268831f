import { addDays, isBefore } from '../shared/instant';
import { sameScope, type MandatePeriod, type MandateScope } from './mandate';
import type { ExistingMandate, MandateStatus } from './mandate.state';

/** A mandate as a projection holds it: its state plus `version`, the stream revision of its last event. */
export type MandateSnapshot = ExistingMandate & { readonly version: number };

/*
 * "In force at t" and "covers the scope" belong to the one authority evaluator, which the domain
 * shares with every service (see @leadership/authority-evaluation); re-exported for the domain's
 * own rules (scheduler, leadership map).
 */
export { coversScope, isInForceAt, type ActionScope } from '@leadership/authority-evaluation';

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
