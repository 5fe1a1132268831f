/*
 * THE authority evaluator: "may this person exercise this authority here at that time, and on
 * what basis?". Exactly one exists. The delegation service answers GET /authority/check and
 * /authority/why with it (its domain builds an `AuthorityFacts` over its read-model snapshot), its
 * scheduler and leadership map use the same unit walk and in-force rule, and every other service
 * answers `may` locally with it from its own Kafka projection (libs/authority).
 *
 * Why a library of its own, tagged scope:shared + type:util: the delegation domain (type:domain)
 * may import only domain/util code, and libs/authority (scope:shared) only shared libraries and
 * contracts. The contracts were no home either — the domain may not import them. A pure shared
 * util is the one place both may import; the delegation contracts re-export it, so consumers of
 * the published API see the same answer shape. It knows nothing of events or storage: it works on
 * the structural `AuthorityMandate`, which both the domain's mandate state and the published
 * `MandateSnapshot` satisfy as they are.
 *
 * Decisions:
 * - A formal manager of the unit or of any unit above it may do everything there (basis
 *   `formal-manager`): managers lead their sub-units and are the fallback for every delegated task.
 *   When both apply, the basis is `formal-manager`: it does not depend on a mandate that may end.
 * - A delegate may when a mandate in force at `at` grants the authority and covers the scope (same
 *   unit; a queue/project-narrowed mandate only that queue/project). Mandates do not extend to
 *   sub-units, and authorities pending the delegate's acceptance are not in force.
 * - Among several granting mandates the one with the earliest `from`, then the smallest id, is
 *   named, so the answer (and the stamp on the action) does not depend on read order.
 * - A refusal names the nearest miss (a mandate that grants the authority but is not in force, or
 *   one where it awaits acceptance) with its version, so the user knows what to ask for.
 */

/** A question: may `personId` exercise `authority` in `unitId` (optionally a queue or project) at `at`? */
export interface AuthorityQuery extends ActionScope {
  readonly personId: string;
  readonly authority: string;
  /** ISO-8601 instant the action happens. */
  readonly at: string;
}

/** The place an action happens: a unit, and possibly the queue or project it concerns. */
export interface ActionScope {
  readonly unitId: string;
  readonly queueId?: string;
  readonly projectId?: string;
}

export type AuthorityBasis = 'formal-manager' | 'mandate';

/**
 * The answer, the same over REST and in every service's library, and what a delegated action is
 * stamped with (basis, mandateId, mandateVersion). Every field is present; null when not applicable.
 */
export interface AuthorityDecision {
  readonly allowed: boolean;
  readonly basis: AuthorityBasis | null;
  /** The granting mandate; on a refusal the nearest miss, if any. */
  readonly mandateId: string | null;
  /** Its version (event-stream revision) the answer relied on. */
  readonly mandateVersion: number | null;
  /** Human-readable explanation, also for refusals (what is missing). */
  readonly reason: string;
}

/** What the evaluation reads of a mandate; the domain's mandate state and the published snapshot both fit. */
export interface AuthorityMandate {
  readonly mandateId: string;
  readonly status: 'proposed' | 'accepted' | 'active' | 'suspended' | 'declined' | 'ended';
  readonly delegateId: string;
  readonly taskType: string;
  readonly scope: ActionScope;
  /** Authorities in force. */
  readonly authorities: readonly string[];
  /** Authorities proposed in an expansion the delegate has not accepted yet (never in force). */
  readonly pendingAuthorities: readonly string[];
  /** `from` inclusive, `until` exclusive. */
  readonly period: { readonly from: string; readonly until: string };
  /** Suspension windows; `until` null while suspended. */
  readonly suspensions: readonly { readonly from: string; readonly until: string | null }[];
  readonly activatedAt: string | null;
  readonly endedAt?: string | null;
  readonly endReason?: string | null;
}

/** A mandate with the version (stream revision) it is known at. */
export interface VersionedAuthorityMandate<Mandate extends AuthorityMandate = AuthorityMandate> {
  readonly version: number;
  readonly mandate: Mandate;
}

/** A unit as the authority check needs it. */
export interface AuthorityUnit {
  readonly id: string;
  readonly parentId: string | null;
  readonly managerIds: readonly string[];
}

/** What the evaluation asks; a projection or an index over a snapshot implements it. */
export interface AuthorityFacts {
  /** Formal managers and parent of a unit, or undefined for an unknown unit. */
  unit(unitId: string): Pick<AuthorityUnit, 'parentId' | 'managerIds'> | undefined;
  /** Mandates in which the person is the delegate (any status, any order); iterated once per question. */
  mandatesOfDelegate(personId: string): Iterable<VersionedAuthorityMandate>;
}

const ms = (iso: string): number => Date.parse(iso);

/** Why a mandate is not in force at `at`, or null when it is. */
export function notInForceReason(mandate: AuthorityMandate, at: string): string | null {
  return notInForceAt(mandate, ms(at));
}

/** `notInForceReason` at an instant already parsed (the evaluator parses the question's `at` once). */
function notInForceAt(mandate: AuthorityMandate, t: number): string | null {
  if (mandate.status === 'proposed') return 'is proposed and not yet accepted by the delegate';
  if (mandate.status === 'declined') return 'was declined by the delegate';
  if (t < ms(mandate.period.from)) return `starts at ${mandate.period.from}`;
  if (mandate.endedAt != null && t >= ms(mandate.endedAt)) return `ended (${mandate.endReason ?? 'ended'}) at ${mandate.endedAt}`;
  if (t >= ms(mandate.period.until)) return `ran until ${mandate.period.until}`;
  if (mandate.activatedAt === null || t < ms(mandate.activatedAt)) return 'was not active yet';
  const suspension = mandate.suspensions.find((s) => ms(s.from) <= t && (s.until === null || t < ms(s.until)));
  if (suspension) return `was suspended (since ${suspension.from})`;
  return null;
}

/**
 * In force at `t`: activated by then, within the period, not suspended at `t`, not ended by `t`.
 * Answers past instants from the timeline the state keeps (activation, suspensions, end) as long
 * as the terms themselves did not change since; for that, fold the events as of `t` first.
 */
export function isInForceAt(mandate: AuthorityMandate, t: string): boolean {
  return notInForceAt(mandate, ms(t)) === null;
}

/**
 * Whether a mandate's scope covers an action: same unit, and if the mandate is narrowed to a queue
 * or project, the action concerns that one. A unit-wide mandate covers all its queues and projects;
 * it does not cover sub-units (delegation grants no more than it names).
 */
export function coversScope(scope: ActionScope, action: ActionScope): boolean {
  if (scope.unitId !== action.unitId) return false;
  if (scope.queueId !== undefined && scope.queueId !== action.queueId) return false;
  return scope.projectId === undefined || scope.projectId === action.projectId;
}

/** The unit and its ancestors (ids), nearest first; stops at an unknown unit or a loop in the data. */
export function unitAncestry(facts: Pick<AuthorityFacts, 'unit'>, unitId: string): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let id: string | null = unitId; id !== null && !seen.has(id); ) {
    const unit = facts.unit(id);
    if (unit === undefined) break;
    chain.push(id);
    seen.add(id);
    id = unit.parentId;
  }
  return chain;
}

/** The unit (the given one or its nearest ancestor) of which the person is a formal manager, or null. */
export function managedUnitOf(facts: Pick<AuthorityFacts, 'unit'>, personId: string, unitId: string): string | null {
  return unitAncestry(facts, unitId).find((id) => facts.unit(id)?.managerIds.includes(personId)) ?? null;
}

/** Earliest start first, then smallest id: the deterministic choice among several mandates. */
function precedes(a: AuthorityMandate, b: AuthorityMandate): boolean {
  const byStart = ms(a.period.from) - ms(b.period.from);
  return byStart < 0 || (byStart === 0 && a.mandateId < b.mandateId);
}

/** Answers one question from the facts; throws RangeError for an `at` that is no instant. */
export function evaluateAuthority(facts: AuthorityFacts, query: AuthorityQuery): AuthorityDecision {
  const t = ms(query.at);
  if (!Number.isFinite(t)) throw new RangeError(`"${query.at}" is not an ISO-8601 instant`);
  const managedUnit = managedUnitOf(facts, query.personId, query.unitId);
  if (managedUnit !== null) {
    const reason = managedUnit === query.unitId ? `formal manager of ${query.unitId}` : `formal manager of ${managedUnit}, above ${query.unitId}`;
    return { allowed: true, basis: 'formal-manager', mandateId: null, mandateVersion: null, reason };
  }
  // One pass, no sorting or allocation per question: this runs on every guarded request.
  let granting: VersionedAuthorityMandate | undefined;
  let nearMiss: VersionedAuthorityMandate | undefined;
  let pending: VersionedAuthorityMandate | undefined;
  for (const entry of facts.mandatesOfDelegate(query.personId)) {
    const { mandate } = entry;
    if (!coversScope(mandate.scope, query)) continue;
    if (mandate.authorities.includes(query.authority)) {
      if (notInForceAt(mandate, t) === null) {
        if (granting === undefined || precedes(mandate, granting.mandate)) granting = entry;
      } else if (nearMiss === undefined || precedes(mandate, nearMiss.mandate)) nearMiss = entry;
    } else if (mandate.pendingAuthorities.includes(query.authority) && (pending === undefined || precedes(mandate, pending.mandate))) {
      pending = entry;
    }
  }
  if (granting) {
    const { mandate, version } = granting;
    return { allowed: true, basis: 'mandate', mandateId: mandate.mandateId, mandateVersion: version, reason: `mandate ${mandate.mandateId} (${mandate.taskType}) grants ${query.authority} in ${scopeText(mandate.scope)}` };
  }
  if (nearMiss) {
    const { mandate, version } = nearMiss;
    return { allowed: false, basis: null, mandateId: mandate.mandateId, mandateVersion: version, reason: `mandate ${mandate.mandateId} grants ${query.authority} but ${notInForceAt(mandate, t)}` };
  }
  if (pending) {
    const { mandate, version } = pending;
    return {
      allowed: false,
      basis: null,
      mandateId: mandate.mandateId,
      mandateVersion: version,
      reason: `${query.authority} is proposed in mandate ${mandate.mandateId} but not yet accepted by the delegate`,
    };
  }
  // An unknown unit has no formal manager; say so, since it is the likelier cause of the refusal.
  const unknown = facts.unit(query.unitId) === undefined ? ` (unit ${query.unitId} is unknown)` : '';
  return {
    allowed: false,
    basis: null,
    mandateId: null,
    mandateVersion: null,
    reason: `${query.personId} is no formal manager of ${query.unitId} or a unit above it and holds no mandate granting ${query.authority} in ${scopeText(query)} at ${query.at}${unknown}`,
  };
}

/** `unit-1/queue:q-7`: the scope as the delegation domain writes it in keys and messages. */
function scopeText(scope: ActionScope): string {
  return [scope.unitId, scope.queueId && `queue:${scope.queueId}`, scope.projectId && `project:${scope.projectId}`].filter(Boolean).join('/');
}
