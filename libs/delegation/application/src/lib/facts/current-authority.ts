import { evolveRecorded, StoreFollower, type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';
import { categoryOf, idOf } from '@leadership/kernel';
import {
  AuthorityIndex,
  MANDATE_STREAM_CATEGORY,
  mandateDecider,
  UNIT_STREAM_CATEGORY,
  unitDecider,
  type AuthorityDecision,
  type AuthorityExplanation,
  type AuthorityQuery,
  type AuthorityUnit,
  type MandateSnapshot,
  type MandateState,
  type UnitState,
} from '@leadership/delegation-domain';

/** The domain time a change took effect: the command's `at`, else when it was recorded (as the read model dates its versions). */
export const effectiveAt = (event: RecordedEvent): string => String((event.data as { at?: unknown }).at ?? event.recordedAt);

const CATEGORIES = [MANDATE_STREAM_CATEGORY, UNIT_STREAM_CATEGORY] as const;

interface Current<S> {
  readonly state: S;
  /** Stream revision of the last event folded in. */
  readonly revision: number;
  /** When that version took effect (ms). */
  readonly atMs: number;
}

/**
 * Authority now, answered from the delegation service's own event store (issue #11: "answer from
 * state that is updated with the append — the event store is local"): every unit and mandate as
 * it currently stands, in memory, folded by the domain's deciders from the store's mandate and
 * unit events. Before each answer `catchUp()` reads whatever was committed after the last event it
 * applied — a short indexed read of the local store, milliseconds, whatever MongoDB is doing — so
 * an answer reflects every command committed before the question was asked: a revocation is seen
 * by the very next check, under any load, through a read-model outage and behind any backlog of
 * the MongoDB projector.
 *
 * It answers questions about *now*: those whose `at` is not earlier than the version in force of
 * every unit and mandate the answer looks at. An earlier `at` (the audit's "as of T") needs the
 * versions before, which only the read model keeps: `check`/`why` return undefined and the caller
 * asks the read model.
 *
 * Memory: the current state of every unit and mandate (not their histories), as the read model's
 * current documents; a restart folds the store's mandate and unit events again.
 */
export class CurrentAuthority {
  private readonly mandates = new Map<string, Current<MandateState>>();
  private readonly units = new Map<string, Current<UnitState>>();
  /** Unit → ids of the mandates scoped to it. */
  private readonly mandatesOfUnit = new Map<string, Set<string>>();
  private readonly follower: StoreFollower;

  constructor(store: Pick<ReadOnlyEventStore, 'readAll'>) {
    this.follower = new StoreFollower(store, CATEGORIES, (event) => this.apply(event));
  }

  /** Position of the last event applied (undefined before the first). */
  get position(): bigint | undefined {
    return this.follower.position;
  }

  /** Applies everything committed before the call (concurrent callers: see StoreFollower). */
  catchUp(): Promise<void> {
    return this.follower.catchUp();
  }

  private apply(event: RecordedEvent): void {
    const id = idOf(event.streamName);
    const atMs = Date.parse(effectiveAt(event));
    switch (categoryOf(event.streamName)) {
      case MANDATE_STREAM_CATEGORY: {
        const before = this.mandates.get(id);
        if (before && before.revision >= event.revision) return;
        const state = evolveRecorded(mandateDecider, before?.state ?? mandateDecider.initialState(), event);
        this.mandates.set(id, { state, revision: event.revision, atMs });
        if (state.status === 'none') return;
        const previousUnit = before?.state.status !== 'none' ? before?.state.scope.unitId : undefined;
        if (previousUnit !== undefined && previousUnit !== state.scope.unitId) this.mandatesOfUnit.get(previousUnit)?.delete(id);
        const ids = this.mandatesOfUnit.get(state.scope.unitId) ?? new Set<string>();
        ids.add(id);
        this.mandatesOfUnit.set(state.scope.unitId, ids);
        return;
      }
      case UNIT_STREAM_CATEGORY: {
        const before = this.units.get(id);
        if (before && before.revision >= event.revision) return;
        this.units.set(id, { state: evolveRecorded(unitDecider, before?.state ?? unitDecider.initialState(), event), revision: event.revision, atMs });
        return;
      }
    }
  }

  /** May the person do it, now? Undefined when `at` predates a version the answer rests on (ask the read model). */
  async check(query: AuthorityQuery): Promise<AuthorityDecision | undefined> {
    return (await this.indexFor(query))?.may(query);
  }

  /** The answer and the chain behind it, now; undefined as for `check`. */
  async why(query: AuthorityQuery): Promise<AuthorityExplanation | undefined> {
    return (await this.indexFor(query))?.whyAllowed(query);
  }

  /** Mandates that may still change by time alone (the scheduler's input), as they stand now. */
  async liveMandates(): Promise<MandateSnapshot[]> {
    await this.catchUp();
    const live: MandateSnapshot[] = [];
    for (const { state, revision } of this.mandates.values()) {
      if (state.status === 'proposed' || state.status === 'accepted' || state.status === 'active' || state.status === 'suspended') live.push({ ...state, version: revision });
    }
    return live;
  }

  /** Every unit as it stands now. */
  async currentUnits(): Promise<AuthorityUnit[]> {
    await this.catchUp();
    return [...this.units.values()].flatMap(({ state }) => (state.status === 'registered' ? [{ id: state.unit.id, parentId: state.unit.parentId, managerIds: state.unit.managerIds }] : []));
  }

  /*
   * The snapshot the read model would give for the question — the unit, its ancestors, and the
   * mandates scoped to any of them — provided each is the version in force at `at`.
   */
  private async indexFor(query: AuthorityQuery): Promise<AuthorityIndex | undefined> {
    await this.catchUp();
    const t = Date.parse(query.at);
    const units: AuthorityUnit[] = [];
    for (let next: string | null = query.unitId; next !== null && !units.some((u) => u.id === next); ) {
      const current = this.units.get(next);
      if (!current || current.state.status !== 'registered') break;
      if (current.atMs > t) return undefined;
      const { unit } = current.state;
      units.push({ id: unit.id, parentId: unit.parentId, managerIds: unit.managerIds });
      next = unit.parentId;
    }
    const mandates: MandateSnapshot[] = [];
    for (const unitId of units.length > 0 ? units.map((u) => u.id) : [query.unitId]) {
      for (const id of this.mandatesOfUnit.get(unitId) ?? []) {
        const current = this.mandates.get(id);
        if (!current || current.state.status === 'none') continue;
        if (current.atMs > t) return undefined;
        mandates.push({ ...current.state, version: current.revision });
      }
    }
    return new AuthorityIndex({ units, mandates });
  }
}
