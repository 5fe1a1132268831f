import { compareInstants, isAtOrAfter, isBefore } from '../shared/instant';
import { scopeKey, type MandatePeriod, type MandateScope } from '../mandate/mandate';
import { coversScope, isInForceAt, type ActionScope, type MandateSnapshot } from '../mandate/mandate.queries';

/*
 * Authority evaluation: "may this person do this, here, at that time, and on what basis?".
 * Pure over a snapshot that each service keeps as its own projection (no call on the hot path).
 *
 * Decisions:
 * - A formal manager of the unit or of any ancestor unit may do everything there (basis
 *   `formal-manager`): managers lead their sub-units and are the fallback for every delegated task.
 * - A delegate may when a mandate in force at `at` grants the authority and covers the scope
 *   (same unit; a queue/project-narrowed mandate only for that queue/project). Mandates do not
 *   extend to sub-units, and pending expansions are not in force.
 * - When both apply, the basis is `formal-manager`: it does not depend on a mandate that may end.
 * - Among several granting mandates the one with the earliest `from`, then the smallest id, is
 *   named, so the answer (and the stamp on the action) is deterministic.
 */

/** A unit as the authority check needs it. */
export interface AuthorityUnit {
  readonly id: string;
  readonly parentId: string | null;
  readonly managerIds: readonly string[];
}

/** Units and mandates (with their stream revision) as a projection holds them. */
export interface AuthoritySnapshot {
  readonly units: readonly AuthorityUnit[];
  readonly mandates: readonly MandateSnapshot[];
}

export interface AuthorityQuery extends ActionScope {
  readonly personId: string;
  readonly authority: string;
  /** ISO-8601 instant the action happens. */
  readonly at: string;
}

export type AuthorityBasis = 'formal-manager' | 'mandate';

/** The answer, and what an action taken on it is stamped with. */
export interface AuthorityDecision {
  readonly allowed: boolean;
  readonly basis: AuthorityBasis | null;
  readonly mandateId?: string;
  /** Stream revision of the mandate the answer relied on. */
  readonly mandateVersion?: number;
  /** For `formal-manager`: the unit the person manages (the queried unit or an ancestor). */
  readonly managedUnitId?: string;
  /** Human-readable explanation, also for refusals (what is missing). */
  readonly reason: string;
}

/** One step of the chain behind an answer, from the actor up to a formal manager. */
export type AuthorityChainLink =
  | {
      readonly kind: 'mandate';
      readonly mandateId: string;
      readonly mandateVersion: number;
      readonly taskType: string;
      readonly delegateId: string;
      readonly delegatorId: string;
      readonly scope: MandateScope;
      readonly period: MandatePeriod;
    }
  | { readonly kind: 'formal-manager'; readonly personId: string; readonly unitId: string; readonly inherited: boolean }
  /** The chain does not reach a formal manager (delegator left, basis mandate over): the mandate awaits reconfirmation. */
  | { readonly kind: 'broken'; readonly personId: string; readonly reason: string };

export interface AuthorityExplanation {
  readonly decision: AuthorityDecision;
  /** Empty when refused. */
  readonly chain: readonly AuthorityChainLink[];
}

/** Longest re-delegation chain followed; real chains are one or two links, loops are data errors. */
const MAX_CHAIN_LENGTH = 16;

function deniedBecause(mandate: MandateSnapshot, authority: string, at: string): string {
  const id = `mandate ${mandate.mandateId}`;
  if (mandate.status === 'proposed') return `${id} is not accepted yet`;
  if (mandate.status === 'declined') return `${id} was declined`;
  if (isBefore(at, mandate.period.from)) return `${id} starts at ${mandate.period.from}`;
  if (mandate.status === 'ended' && isAtOrAfter(at, mandate.endedAt)) return `${id} ended (${mandate.endReason}) at ${mandate.endedAt}`;
  if (isAtOrAfter(at, mandate.period.until)) return `${id} ran until ${mandate.period.until}`;
  if (mandate.activatedAt === null || isBefore(at, mandate.activatedAt)) return `${id} was not active yet`;
  if (!mandate.authorities.includes(authority)) return `${authority} on ${id} awaits the delegate's acceptance`;
  return `${id} was suspended`;
}

/** An index over one snapshot; build once, ask many times. */
export class AuthorityIndex {
  private readonly units: ReadonlyMap<string, AuthorityUnit>;
  private readonly mandatesById: ReadonlyMap<string, MandateSnapshot>;
  private readonly mandatesByDelegate: ReadonlyMap<string, readonly MandateSnapshot[]>;

  constructor(snapshot: AuthoritySnapshot) {
    this.units = new Map(snapshot.units.map((unit) => [unit.id, unit]));
    this.mandatesById = new Map(snapshot.mandates.map((mandate) => [mandate.mandateId, mandate]));
    const byDelegate = new Map<string, MandateSnapshot[]>();
    for (const mandate of snapshot.mandates) {
      // Push, not spread: spreading per mandate made building the index quadratic.
      const list = byDelegate.get(mandate.delegateId);
      if (list) list.push(mandate);
      else byDelegate.set(mandate.delegateId, [mandate]);
    }
    for (const list of byDelegate.values()) {
      list.sort((a, b) => compareInstants(a.period.from, b.period.from) || (a.mandateId < b.mandateId ? -1 : 1));
    }
    this.mandatesByDelegate = byDelegate;
  }

  /** The unit and its ancestors, nearest first; stops at an unknown parent or a loop in the data. */
  ancestry(unitId: string): readonly AuthorityUnit[] {
    const chain: AuthorityUnit[] = [];
    const seen = new Set<string>();
    for (let id: string | null = unitId; id !== null && !seen.has(id); ) {
      const unit = this.units.get(id);
      if (unit === undefined) break;
      chain.push(unit);
      seen.add(id);
      id = unit.parentId;
    }
    return chain;
  }

  /** The unit (the given one or its nearest ancestor) of which the person is a formal manager, if any. */
  managedUnit(personId: string, unitId: string): string | null {
    return this.ancestry(unitId).find((unit) => unit.managerIds.includes(personId))?.id ?? null;
  }

  /** Who leads the unit formally: its own managers, or those of the nearest ancestor that has any. */
  leadingManagers(unitId: string): readonly string[] {
    return this.ancestry(unitId).find((unit) => unit.managerIds.length > 0)?.managerIds ?? [];
  }

  may(query: AuthorityQuery): AuthorityDecision {
    const managedUnitId = this.managedUnit(query.personId, query.unitId);
    if (managedUnitId !== null) {
      const how = managedUnitId === query.unitId ? 'of' : `of ancestor unit ${managedUnitId} of`;
      return { allowed: true, basis: 'formal-manager', managedUnitId, reason: `formal manager ${how} unit ${query.unitId}` };
    }
    const candidates = (this.mandatesByDelegate.get(query.personId) ?? []).filter(
      (mandate) =>
        coversScope(mandate.scope, query) &&
        (mandate.authorities.includes(query.authority) || mandate.pendingAuthorities.includes(query.authority)),
    );
    const granting = candidates.find((mandate) => mandate.authorities.includes(query.authority) && isInForceAt(mandate, query.at));
    if (granting) {
      return {
        allowed: true,
        basis: 'mandate',
        mandateId: granting.mandateId,
        mandateVersion: granting.version,
        reason: `mandate ${granting.mandateId} (${granting.taskType}) grants ${query.authority} in ${scopeKey(granting.scope)}`,
      };
    }
    const where = scopeKey(query);
    const nearMisses = candidates.map((mandate) => deniedBecause(mandate, query.authority, query.at));
    return {
      allowed: false,
      basis: null,
      reason:
        `${query.personId} is no formal manager of ${query.unitId} or its ancestors and no mandate in force at ${query.at} grants ${query.authority} in ${where}` +
        (nearMisses.length > 0 ? `: ${nearMisses.join('; ')}` : ''),
    };
  }

  whyAllowed(query: AuthorityQuery): AuthorityExplanation {
    const decision = this.may(query);
    if (!decision.allowed) return { decision, chain: [] };
    if (decision.basis === 'formal-manager') {
      const unitId = decision.managedUnitId ?? query.unitId;
      return { decision, chain: [{ kind: 'formal-manager', personId: query.personId, unitId, inherited: unitId !== query.unitId }] };
    }
    const chain: AuthorityChainLink[] = [];
    const visited = new Set<string>();
    for (let mandate = this.mandatesById.get(decision.mandateId ?? ''); mandate !== undefined; ) {
      chain.push({
        kind: 'mandate',
        mandateId: mandate.mandateId,
        mandateVersion: mandate.version,
        taskType: mandate.taskType,
        delegateId: mandate.delegateId,
        delegatorId: mandate.delegatorId,
        scope: mandate.scope,
        period: mandate.period,
      });
      visited.add(mandate.mandateId);
      const { delegatorId, basis } = mandate;
      if (basis.kind === 'formal-manager') {
        const unitId = this.managedUnit(delegatorId, mandate.scope.unitId);
        chain.push(
          unitId !== null
            ? { kind: 'formal-manager', personId: delegatorId, unitId, inherited: unitId !== mandate.scope.unitId }
            : { kind: 'broken', personId: delegatorId, reason: `${delegatorId} no longer manages unit ${mandate.scope.unitId}` },
        );
        break;
      }
      const parent = this.mandatesById.get(basis.mandateId);
      if (parent === undefined || visited.has(parent.mandateId) || chain.length >= MAX_CHAIN_LENGTH || !isInForceAt(parent, query.at)) {
        chain.push({ kind: 'broken', personId: delegatorId, reason: `basis mandate ${basis.mandateId} is not in force` });
        break;
      }
      mandate = parent;
    }
    return { decision, chain };
  }
}

/** One-off question; build an `AuthorityIndex` to ask many. */
export function may(snapshot: AuthoritySnapshot, query: AuthorityQuery): AuthorityDecision {
  return new AuthorityIndex(snapshot).may(query);
}

/** The decision and the chain of mandates behind it, up to the formal manager it rests on. */
export function whyAllowed(snapshot: AuthoritySnapshot, query: AuthorityQuery): AuthorityExplanation {
  return new AuthorityIndex(snapshot).whyAllowed(query);
}
