import type { MandateSnapshot } from './mandate-changed.integration-event';

/*
 * `may(person, authority, scope, at)` over the published snapshots. It is part of the contract
 * so that every service answers it the same way from its own projection of the mandate and
 * directory topics, without a call to the delegation service on the hot path.
 */

/** A question: may `personId` exercise `authority` in `unitId` (optionally a queue or project) at `at`? */
export interface AuthorityQuery {
  readonly personId: string;
  readonly authority: string;
  readonly unitId: string;
  readonly queueId?: string;
  readonly projectId?: string;
  /** ISO-8601 instant. */
  readonly at: string;
}

/** The answer, with what it rests on. Services stamp delegated actions with basis, mandateId and mandateVersion. */
export interface AuthorityDecision {
  readonly allowed: boolean;
  readonly basis: 'formal-manager' | 'mandate' | null;
  readonly mandateId: string | null;
  readonly mandateVersion: number | null;
  readonly reason: string;
}

/** A mandate snapshot with the version it was published at. */
export interface VersionedMandate {
  readonly version: number;
  readonly mandate: MandateSnapshot;
}

/** What the evaluation needs to know; a projection implements it. */
export interface AuthorityFacts {
  /** Formal managers and parent of a unit, or undefined for an unknown unit. */
  unit(unitId: string): { readonly parentId: string | null; readonly managerIds: readonly string[] } | undefined;
  /** Mandates in which the person is the delegate (any status). */
  mandatesOfDelegate(personId: string): readonly VersionedMandate[];
}

const ms = (iso: string) => Date.parse(iso);

/** Why a mandate is not in force at `at`, or null when it is. */
export function notInForceReason(mandate: MandateSnapshot, at: string): string | null {
  const t = ms(at);
  if (mandate.status === 'proposed') return 'is proposed and not yet accepted by the delegate';
  if (mandate.status === 'declined') return 'was declined by the delegate';
  if (t < ms(mandate.period.from)) return `starts at ${mandate.period.from}`;
  if (mandate.endedAt !== null && t >= ms(mandate.endedAt)) return `ended (${mandate.endReason ?? 'ended'}) at ${mandate.endedAt}`;
  if (t >= ms(mandate.period.until)) return `expired at ${mandate.period.until}`;
  if (mandate.activatedAt === null || t < ms(mandate.activatedAt)) return 'is not active yet';
  const suspension = mandate.suspensions.find((s) => ms(s.from) <= t && (s.until === null || t < ms(s.until)));
  if (suspension) return `is suspended since ${suspension.from}`;
  return null;
}

function scopeCovers(mandate: MandateSnapshot, query: AuthorityQuery): boolean {
  if (mandate.scope.unitId !== query.unitId) return false;
  // A mandate for a whole unit covers its queues and projects; a narrower one only its own.
  if (mandate.scope.queueId !== undefined && mandate.scope.queueId !== query.queueId) return false;
  if (mandate.scope.projectId !== undefined && mandate.scope.projectId !== query.projectId) return false;
  return true;
}

/** The unit and its ancestors, nearest first; stops at cycles and unknown units. */
export function unitChain(facts: Pick<AuthorityFacts, 'unit'>, unitId: string): string[] {
  const chain: string[] = [];
  let current: string | null = unitId;
  while (current !== null && !chain.includes(current)) {
    const unit = facts.unit(current);
    if (!unit) break;
    chain.push(current);
    current = unit.parentId;
  }
  return chain;
}

/**
 * Formal managers of the unit or of any unit above it may always (they are the fallback for
 * every delegated task). Otherwise a mandate of which the person is the delegate must cover the
 * scope, grant the authority (accepted authorities only) and be in force at `at`.
 */
export function evaluateAuthority(facts: AuthorityFacts, query: AuthorityQuery): AuthorityDecision {
  if (!Number.isFinite(ms(query.at))) throw new RangeError(`"${query.at}" is not an ISO-8601 instant`);
  const chain = unitChain(facts, query.unitId);
  if (chain.length === 0) {
    return { allowed: false, basis: null, mandateId: null, mandateVersion: null, reason: `unit ${query.unitId} is unknown` };
  }
  const managedUnit = chain.find((u) => facts.unit(u)?.managerIds.includes(query.personId));
  if (managedUnit !== undefined) {
    return {
      allowed: true,
      basis: 'formal-manager',
      mandateId: null,
      mandateVersion: null,
      reason: managedUnit === query.unitId ? `formal manager of ${query.unitId}` : `formal manager of ${managedUnit}, above ${query.unitId}`,
    };
  }
  const candidates = facts
    .mandatesOfDelegate(query.personId)
    .filter(({ mandate }) => scopeCovers(mandate, query))
    // Deterministic choice among several granting mandates (the same as the delegation domain's):
    // earliest start, then smallest id — so the stamp on an action does not depend on read order.
    .sort((a, b) => Date.parse(a.mandate.period.from) - Date.parse(b.mandate.period.from) || (a.mandate.mandateId < b.mandate.mandateId ? -1 : a.mandate.mandateId > b.mandate.mandateId ? 1 : 0));
  const granting = candidates.filter(({ mandate }) => mandate.authorities.includes(query.authority));
  for (const { mandate, version } of granting) {
    if (notInForceReason(mandate, query.at) === null) {
      return {
        allowed: true,
        basis: 'mandate',
        mandateId: mandate.mandateId,
        mandateVersion: version,
        reason: `mandate ${mandate.mandateId} (${mandate.taskType}) grants ${query.authority} in ${query.unitId}`,
      };
    }
  }
  // Explain the nearest miss, so a user knows what to ask for.
  const first = granting[0];
  if (first) {
    return {
      allowed: false,
      basis: null,
      mandateId: first.mandate.mandateId,
      mandateVersion: first.version,
      reason: `mandate ${first.mandate.mandateId} grants ${query.authority} but ${notInForceReason(first.mandate, query.at)}`,
    };
  }
  const pending = candidates.find(({ mandate }) => mandate.pendingAuthorities.includes(query.authority));
  if (pending) {
    return {
      allowed: false,
      basis: null,
      mandateId: pending.mandate.mandateId,
      mandateVersion: pending.version,
      reason: `${query.authority} is proposed in mandate ${pending.mandate.mandateId} but not yet accepted by the delegate`,
    };
  }
  return {
    allowed: false,
    basis: null,
    mandateId: null,
    mandateVersion: null,
    reason: `${query.personId} is no formal manager of ${query.unitId} and holds no mandate granting ${query.authority} there`,
  };
}
