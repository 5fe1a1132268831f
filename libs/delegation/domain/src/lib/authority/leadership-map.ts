import { addDays, isAtOrAfter, isBefore } from '../shared/instant';
import { scopeKey, type MandateScope, type ReconfirmationReason } from '../mandate/mandate';
import { isInForceAt, reviewDueAt, type MandateSnapshot } from '../mandate/mandate.queries';
import type { TaskTypeDefinition } from '../task-type/task-type';
import { AuthorityIndex, type AuthoritySnapshot } from './authority';

export interface LeadershipHolder {
  readonly mandateId: string;
  readonly mandateVersion: number;
  readonly delegateId: string;
  readonly deputyId: string | null;
  readonly delegatorId: string;
  readonly scope: MandateScope;
  readonly authorities: readonly string[];
  readonly until: string;
}

export interface LeadershipMap {
  readonly unitId: string;
  readonly at: string;
  /** Formal managers leading the unit: its own, or if it has none, those of the nearest ancestor with any. */
  readonly formalManagerIds: readonly string[];
  /** Per task type of the catalogue (catalogue order), the mandates in force at `at`. */
  readonly holders: readonly { readonly taskType: string; readonly holders: readonly LeadershipHolder[] }[];
  /** Task types with nobody holding them at `at`: the formal manager does these themselves. */
  readonly gaps: readonly string[];
  /** Exclusive task types held by more than one mandate in the same scope: a conflict to resolve. */
  readonly overlaps: readonly { readonly taskType: string; readonly scope: string; readonly mandateIds: readonly string[] }[];
  /** Mandates in force or suspended whose review (check-in) is due by `at`. */
  readonly dueForReview: readonly { readonly mandateId: string; readonly delegateId: string; readonly dueAt: string }[];
  /** Accepted or in-force mandates whose period ends within the horizon after `at`. */
  readonly expiring: readonly { readonly mandateId: string; readonly delegateId: string; readonly until: string }[];
  /** Mandates a formal manager must confirm or revoke. */
  readonly awaitingReconfirmation: readonly { readonly mandateId: string; readonly reason: ReconfirmationReason; readonly flaggedAt: string }[];
}

export interface LeadershipMapOptions {
  /** Horizon for `expiring`, in days; default 14. */
  readonly expiringWithinDays?: number;
}

const DEFAULT_EXPIRY_HORIZON_DAYS = 14;

function holderOf(mandate: MandateSnapshot): LeadershipHolder {
  return {
    mandateId: mandate.mandateId,
    mandateVersion: mandate.version,
    delegateId: mandate.delegateId,
    deputyId: mandate.deputyId,
    delegatorId: mandate.delegatorId,
    scope: mandate.scope,
    authorities: mandate.authorities,
    until: mandate.period.until,
  };
}

/**
 * Who holds which leadership task in a unit at `at`, and what needs attention. Task types that
 * appear on mandates but not in the catalogue (since removed) are listed after the catalogue's.
 * For a past `at`, pass a snapshot folded as of that time (`mandatesAsOf`).
 */
export function leadershipMap(
  snapshot: AuthoritySnapshot,
  catalogue: readonly TaskTypeDefinition[],
  unitId: string,
  at: string,
  options: LeadershipMapOptions = {},
): LeadershipMap {
  const horizon = addDays(at, options.expiringWithinDays ?? DEFAULT_EXPIRY_HORIZON_DAYS);
  const inUnit = snapshot.mandates.filter((mandate) => mandate.scope.unitId === unitId);
  const inForce = inUnit.filter((mandate) => isInForceAt(mandate, at));
  const keys = [...new Set([...catalogue.map((type) => type.key), ...inForce.map((mandate) => mandate.taskType)])];
  const holders = keys.map((taskType) => ({
    taskType,
    holders: inForce.filter((mandate) => mandate.taskType === taskType).map(holderOf),
  }));
  const exclusive = new Set(catalogue.filter((type) => type.exclusive).map((type) => type.key));
  const overlaps = holders.flatMap(({ taskType, holders: held }) => {
    if (!exclusive.has(taskType)) return [];
    const byScope = new Map<string, string[]>();
    held.forEach((holder) => byScope.set(scopeKey(holder.scope), [...(byScope.get(scopeKey(holder.scope)) ?? []), holder.mandateId]));
    return [...byScope].filter(([, ids]) => ids.length > 1).map(([scope, mandateIds]) => ({ taskType, scope, mandateIds }));
  });
  const running = inUnit.filter(
    (mandate) => (mandate.status === 'active' || mandate.status === 'suspended') && isBefore(at, mandate.period.until),
  );
  const dueForReview = running.flatMap((mandate) => {
    const dueAt = reviewDueAt(mandate);
    return dueAt !== null && isAtOrAfter(at, dueAt) ? [{ mandateId: mandate.mandateId, delegateId: mandate.delegateId, dueAt }] : [];
  });
  const expiring = inUnit
    .filter(
      (mandate) =>
        (mandate.status === 'accepted' || mandate.status === 'active' || mandate.status === 'suspended') &&
        isBefore(at, mandate.period.until) &&
        !isBefore(horizon, mandate.period.until),
    )
    .map((mandate) => ({ mandateId: mandate.mandateId, delegateId: mandate.delegateId, until: mandate.period.until }));
  const awaitingReconfirmation = inUnit.flatMap((mandate) =>
    mandate.reconfirmation !== null && mandate.status !== 'ended' && mandate.status !== 'declined'
      ? [{ mandateId: mandate.mandateId, reason: mandate.reconfirmation.reason, flaggedAt: mandate.reconfirmation.flaggedAt }]
      : [],
  );
  return {
    unitId,
    at,
    formalManagerIds: new AuthorityIndex(snapshot).leadingManagers(unitId),
    holders,
    gaps: holders.filter((entry) => entry.holders.length === 0).map((entry) => entry.taskType),
    overlaps,
    dueForReview,
    expiring,
    awaitingReconfirmation,
  };
}
