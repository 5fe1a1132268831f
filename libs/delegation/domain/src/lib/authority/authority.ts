import {
  evaluateAuthority,
  isInForceAt,
  managedUnitOf,
  unitAncestry,
  type AuthorityDecision,
  type AuthorityFacts,
  type AuthorityQuery,
  type AuthorityUnit,
  type VersionedAuthorityMandate,
} from '@leadership/authority-evaluation';
import type { MandatePeriod, MandateScope } from '../mandate/mandate';
import type { MandateSnapshot } from '../mandate/mandate.queries';

/*
 * Authority in the delegation domain: the question ("may this person do this, here, at that time,
 * and on what basis?") is answered by the one evaluator every service uses,
 * @leadership/authority-evaluation (where its rules are written down). This file gives it the
 * domain's facts — an index over a snapshot of units and mandates as the read model holds them — and
 * adds what only the delegation service answers: `whyAllowed`, the chain of mandates behind an
 * answer, which needs each mandate's basis (not part of the published snapshot).
 */

export type { AuthorityBasis, AuthorityDecision, AuthorityQuery, AuthorityUnit } from '@leadership/authority-evaluation';

/** Units and mandates (with their stream revision) as a projection holds them. */
export interface AuthoritySnapshot {
  readonly units: readonly AuthorityUnit[];
  readonly mandates: readonly MandateSnapshot[];
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

/** The evaluator's facts over one snapshot; build once, ask many times. */
export class AuthorityIndex implements AuthorityFacts {
  private readonly units: ReadonlyMap<string, AuthorityUnit>;
  private readonly mandatesById: ReadonlyMap<string, MandateSnapshot>;
  private readonly mandatesByDelegate: ReadonlyMap<string, readonly VersionedAuthorityMandate<MandateSnapshot>[]>;

  constructor(snapshot: AuthoritySnapshot) {
    this.units = new Map(snapshot.units.map((unit) => [unit.id, unit]));
    this.mandatesById = new Map(snapshot.mandates.map((mandate) => [mandate.mandateId, mandate]));
    const byDelegate = new Map<string, VersionedAuthorityMandate<MandateSnapshot>[]>();
    for (const mandate of snapshot.mandates) {
      // Push, not spread: spreading per mandate made building the index quadratic. No sorting: the
      // evaluator picks among several granting mandates itself, whatever their order.
      const entry = { version: mandate.version, mandate };
      const list = byDelegate.get(mandate.delegateId);
      if (list) list.push(entry);
      else byDelegate.set(mandate.delegateId, [entry]);
    }
    this.mandatesByDelegate = byDelegate;
  }

  unit(unitId: string): AuthorityUnit | undefined {
    return this.units.get(unitId);
  }

  mandatesOfDelegate(personId: string): Iterable<VersionedAuthorityMandate<MandateSnapshot>> {
    return this.mandatesByDelegate.get(personId) ?? [];
  }

  /** The unit and its ancestors, nearest first; stops at an unknown parent or a loop in the data. */
  ancestry(unitId: string): readonly AuthorityUnit[] {
    return unitAncestry(this, unitId).flatMap((id) => this.units.get(id) ?? []);
  }

  /** The unit (the given one or its nearest ancestor) of which the person is a formal manager, if any. */
  managedUnit(personId: string, unitId: string): string | null {
    return managedUnitOf(this, personId, unitId);
  }

  /** Who leads the unit formally: its own managers, or those of the nearest ancestor that has any. */
  leadingManagers(unitId: string): readonly string[] {
    return this.ancestry(unitId).find((unit) => unit.managerIds.length > 0)?.managerIds ?? [];
  }

  may(query: AuthorityQuery): AuthorityDecision {
    return evaluateAuthority(this, query);
  }

  whyAllowed(query: AuthorityQuery): AuthorityExplanation {
    const decision = this.may(query);
    if (!decision.allowed) return { decision, chain: [] };
    if (decision.basis === 'formal-manager') {
      const unitId = this.managedUnit(query.personId, query.unitId) ?? query.unitId;
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
