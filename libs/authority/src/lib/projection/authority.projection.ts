import { evaluateAuthority, type AuthorityDecision, type AuthorityFacts, type AuthorityQuery } from '@leadership/authority-evaluation';
import type { MandateChanged, UnitChanged, VersionedMandate } from '@leadership/delegation-contracts';
import type { IntegrationEventData } from '@leadership/messaging-contracts';
import { AuthorityStaleError, type AuthorityFreshness, type AuthorityFreshnessSource } from './authority-freshness';
import type { AuthorityStore, AuthorityStoreContents, ProjectedUnit, StoreWriteOutcome } from './authority.store';

/** A `may` question; `at` defaults to now (the projection's clock). */
export type AuthorityQuestion = Omit<AuthorityQuery, 'at'> & { readonly at?: string };

/** Data of a `MandateChanged` event. */
export type MandateChangedData = IntegrationEventData<typeof MandateChanged>;
/** Data of a `UnitChanged` event. */
export type UnitChangedData = IntegrationEventData<typeof UnitChanged>;

/** Options of {@link AuthorityProjection}. */
export interface AuthorityProjectionOptions {
  /** Clock for `may` questions without `at`. */
  readonly now?: () => Date;
  /**
   * How far back `refresh()` reads before its previous start, in ms (default 30 000): covers
   * writes that were slow to commit and clocks of other instances that run behind.
   */
  readonly refreshOverlapMs?: number;
}

/** `may` was asked before `load()` finished: there is nothing to answer from yet. */
export class AuthorityProjectionNotReadyError extends Error {
  override readonly name = 'AuthorityProjectionNotReadyError';
  constructor() {
    super('the authority projection is not loaded yet (call load() or start the AuthorityConsumer first)');
  }
}

/** `waitForMandateVersion` gave up. */
export class AuthorityVersionTimeoutError extends Error {
  override readonly name = 'AuthorityVersionTimeoutError';
  constructor(
    readonly mandateId: string,
    readonly expectedVersion: number,
    /** What the projection holds (undefined: the mandate is unknown here). */
    readonly actualVersion: number | undefined,
    readonly timeoutMs: number,
  ) {
    super(
      `mandate ${mandateId} did not reach version ${expectedVersion} within ${timeoutMs} ms (projection holds ${actualVersion ?? 'nothing'}); ` +
        'check the consumer status and lag',
    );
  }
}

interface VersionWaiter {
  readonly version: number;
  readonly resolve: () => void;
}

/**
 * A service's own answer to "may this person do X here?", from the delegation topics.
 *
 * Two layers:
 * - the **store** (MongoDB) is the durable projection: the latest mandate snapshot and unit per
 *   id, written only when the version is newer;
 * - an **in-memory copy** in front of it answers `may` without I/O. It is warm-loaded from the
 *   store by `load()` and afterwards changed only by the same calls that write the store
 *   (`applyMandateChanged`/`applyUnitChanged`), **after** the store accepted the write, and by
 *   `refresh()`, which merges what other instances of the service wrote (they share the store
 *   but each consumes only some partitions). Every merge is version-guarded too, so the order in
 *   which these paths reach the copy does not matter and it never goes back to an older version.
 *
 * Because the store is written before the consumer records the event as processed and commits
 * its offset, the store is never behind the committed offsets: a restart loads it and the
 * consumer continues where it left off without a gap.
 *
 * `may` delegates to `evaluateAuthority` from @leadership/authority-evaluation, the one evaluator
 * the delegation service answers with too, so every service answers exactly as it does.
 */
export class AuthorityProjection {
  private readonly mandates = new Map<string, VersionedMandate>();
  /** Delegate → that person's mandates by id: what `evaluateAuthority` asks for on every question. */
  private readonly byDelegate = new Map<string, Map<string, VersionedMandate>>();
  private readonly units = new Map<string, ProjectedUnit>();
  private readonly waiters = new Map<string, Set<VersionWaiter>>();
  /** The clock questions without `at` are asked at (the guard stamps actions with it too). */
  readonly now: () => Date;
  private readonly refreshOverlapMs: number;
  private loaded = false;
  private loading: Promise<void> | undefined;
  /** When the last full or incremental read of the store began (writer clocks are compared to it). */
  private readFrom: Date | undefined;
  /** The consumer that feeds the projection and measures how far behind it is (none: fed directly, e.g. in tests). */
  private freshnessSource: AuthorityFreshnessSource | undefined;

  private readonly facts: AuthorityFacts = {
    unit: (unitId) => this.units.get(unitId),
    mandatesOfDelegate: (personId) => this.byDelegate.get(personId)?.values() ?? [],
  };

  constructor(
    private readonly store: AuthorityStore,
    options: AuthorityProjectionOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.refreshOverlapMs = options.refreshOverlapMs ?? 30_000;
  }

  /** True once `load()` has read the store: `may` answers from then on. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** How many mandates and units the in-memory copy holds. */
  get size(): { readonly mandates: number; readonly units: number } {
    return { mandates: this.mandates.size, units: this.units.size };
  }

  /** Warm load: reads the whole store into memory (once; later calls wait for the first). */
  load(): Promise<void> {
    this.loading ??= (async () => {
      const startedAt = this.now();
      this.mergeAll(await this.store.readChanges());
      this.readFrom = startedAt;
      this.loaded = true;
    })().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  /**
   * Merges what was written to the store since the previous read (minus the overlap), e.g. by
   * other instances of the service. Returns how many entries were newer than the copy.
   */
  async refresh(): Promise<number> {
    if (!this.loaded || this.readFrom === undefined) {
      await this.load();
      return 0;
    }
    const startedAt = this.now();
    const merged = this.mergeAll(await this.store.readChanges(new Date(this.readFrom.getTime() - this.refreshOverlapMs)));
    this.readFrom = startedAt;
    return merged;
  }

  /** Applies a `MandateChanged` (idempotent: an older or repeated version changes nothing). */
  async applyMandateChanged(data: MandateChangedData): Promise<StoreWriteOutcome> {
    const entry: VersionedMandate = { version: data.version, mandate: data.mandate };
    const outcome = await this.store.saveMandate(entry);
    if (outcome === 'applied') this.mergeMandate(entry);
    else if ((this.mandates.get(data.mandateId)?.version ?? -1) < data.version) {
      // The store holds this version or a newer one the copy lacks (another instance wrote it).
      const stored = await this.store.findMandate(data.mandateId);
      if (stored) this.mergeMandate(stored);
    }
    return outcome;
  }

  /** Applies a `UnitChanged` (idempotent: an older or repeated version changes nothing). */
  async applyUnitChanged(data: UnitChangedData): Promise<StoreWriteOutcome> {
    const entry: ProjectedUnit = { unitId: data.unitId, version: data.version, parentId: data.parentId, managerIds: data.managerIds };
    const outcome = await this.store.saveUnit(entry);
    if (outcome === 'applied') this.mergeUnit(entry);
    else if ((this.units.get(data.unitId)?.version ?? -1) < data.version) {
      const stored = await this.store.findUnit(data.unitId);
      if (stored) this.mergeUnit(stored);
    }
    return outcome;
  }

  /**
   * May `personId` exercise `authority` in the unit (queue, project) at `at` (default now)?
   * Answered from memory by the one `evaluateAuthority`, from whatever the projection holds — no
   * freshness check: decide with `mayFresh` (or `@RequireAuthority`). Throws
   * AuthorityProjectionNotReadyError before `load()` and RangeError for a malformed `at`.
   */
  may(question: AuthorityQuestion): AuthorityDecision {
    if (!this.loaded) throw new AuthorityProjectionNotReadyError();
    return evaluateAuthority(this.facts, { ...question, at: question.at ?? this.now().toISOString() });
  }

  /**
   * `may`, under the freshness rule: a **grant** is answered only while the projection is within
   * the bound behind the delegation event store, otherwise AuthorityStaleError (stalenessMs, bound, why)
   * — it may not have seen a revocation yet. A **denial** is answered whatever the staleness: a
   * stale "no" grants nothing (at worst it misses a very recent grant; the caller may retry).
   * Use this (or `@RequireAuthority`) for every decision; plain `may` answers from whatever the
   * projection holds (audit views, diagnostics, tests). A projection without a feeding consumer
   * (`trackFreshness` never called: fed directly, as in unit tests) counts as fresh.
   */
  mayFresh(question: AuthorityQuestion): AuthorityDecision {
    const decision = this.may(question);
    if (decision.allowed) this.assertFresh();
    return decision;
  }

  /**
   * The freshness rule for an answer that is not a `may` but relies on the mandates in force just
   * the same — e.g. whom a role such as "the case manager of support" reaches now: throws
   * AuthorityProjectionNotReadyError before `load()` and AuthorityStaleError while the projection
   * is further behind the delegation event store than the bound (it may miss a revocation, a
   * suspension, a hand-over). A projection without a feeding consumer counts as fresh.
   */
  assertFresh(): void {
    if (!this.loaded) throw new AuthorityProjectionNotReadyError();
    const freshness = this.freshnessSource?.freshness();
    if (freshness && !freshness.fresh) throw new AuthorityStaleError(freshness);
  }

  /** How fresh the projection is, as its consumer measures it; undefined when nothing feeds it through a consumer. */
  freshness(): AuthorityFreshness | undefined {
    return this.freshnessSource?.freshness();
  }

  /**
   * Called by the AuthorityConsumer that feeds this projection (in its constructor): from then on
   * `mayFresh` and the guard refuse grants while it reports the projection stale. One feeder per
   * projection: a second would mean two measures of one state.
   */
  trackFreshness(source: AuthorityFreshnessSource): void {
    if (this.freshnessSource && this.freshnessSource !== source) throw new Error('this authority projection is already fed (and measured) by another consumer');
    this.freshnessSource = source;
  }

  /** The version of a mandate the projection holds, or undefined when it has not seen it. */
  mandateVersion(mandateId: string): number | undefined {
    return this.mandates.get(mandateId)?.version;
  }

  /**
   * The latest snapshot of a mandate the projection holds (undefined when it has not seen it):
   * a service reads the terms a granted decision relies on from here, e.g. the machine-checkable
   * framework rules of the mandate `may` answered with.
   */
  mandate(mandateId: string): VersionedMandate | undefined {
    return this.mandates.get(mandateId);
  }

  /**
   * The mandates of `taskType` whose scope is `unitId` (any queue or project in it), latest
   * snapshot each, whatever their status: what a role address such as "the case manager of
   * support" resolves from (the caller picks the one in force at its instant). A scan of the
   * mandates held: fine for the thousands a unit tree has; index by unit if that grows.
   */
  mandatesOfTaskType(unitId: string, taskType: string): VersionedMandate[] {
    const found: VersionedMandate[] = [];
    for (const entry of this.mandates.values()) if (entry.mandate.scope.unitId === unitId && entry.mandate.taskType === taskType) found.push(entry);
    return found;
  }

  /** The unit as held (parent and formal managers), or undefined when the projection has not seen it. */
  unit(unitId: string): ProjectedUnit | undefined {
    return this.units.get(unitId);
  }

  /** The version of a unit the projection holds, or undefined when it has not seen it. */
  unitVersion(unitId: string): number | undefined {
    return this.units.get(unitId)?.version;
  }

  /**
   * Resolves once the in-memory copy holds `mandateId` at `version` or later (read-your-writes
   * for a caller that just learned a version, e.g. from the delegation API's ETag). Looks in the
   * store too, where another instance may have written it. Rejects with
   * AuthorityVersionTimeoutError after `timeoutMs`.
   */
  async waitForMandateVersion(mandateId: string, version: number, timeoutMs: number): Promise<void> {
    if (this.hasMandateVersion(mandateId, version)) return;
    let waiter: VersionWaiter | undefined;
    const reached = new Promise<void>((resolve) => {
      waiter = { version, resolve };
      const set = this.waiters.get(mandateId) ?? new Set<VersionWaiter>();
      set.add(waiter);
      this.waiters.set(mandateId, set);
    });
    // Registered before the store read, so a merge that lands meanwhile is not missed.
    const stored = await this.store.findMandate(mandateId);
    if (stored) this.mergeMandate(stored);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      if ((await Promise.race([reached, timedOut])) === 'timeout') {
        throw new AuthorityVersionTimeoutError(mandateId, version, this.mandateVersion(mandateId), timeoutMs);
      }
    } finally {
      clearTimeout(timer);
      if (waiter) this.forgetWaiter(mandateId, waiter);
    }
  }

  private hasMandateVersion(mandateId: string, version: number): boolean {
    return (this.mandates.get(mandateId)?.version ?? -1) >= version;
  }

  private mergeAll(contents: AuthorityStoreContents): number {
    let merged = 0;
    for (const unit of contents.units) if (this.mergeUnit(unit)) merged++;
    for (const mandate of contents.mandates) if (this.mergeMandate(mandate)) merged++;
    return merged;
  }

  private mergeMandate(entry: VersionedMandate): boolean {
    const id = entry.mandate.mandateId;
    const current = this.mandates.get(id);
    if (current && current.version >= entry.version) return false;
    this.mandates.set(id, entry);
    // The delegate is fixed for a mandate's life, but the index must stay right whatever arrives.
    if (current && current.mandate.delegateId !== entry.mandate.delegateId) {
      this.byDelegate.get(current.mandate.delegateId)?.delete(id);
    }
    const mine = this.byDelegate.get(entry.mandate.delegateId) ?? new Map<string, VersionedMandate>();
    mine.set(id, entry);
    this.byDelegate.set(entry.mandate.delegateId, mine);
    for (const waiter of this.waiters.get(id) ?? []) if (waiter.version <= entry.version) waiter.resolve();
    return true;
  }

  private mergeUnit(entry: ProjectedUnit): boolean {
    const current = this.units.get(entry.unitId);
    if (current && current.version >= entry.version) return false;
    this.units.set(entry.unitId, entry);
    return true;
  }

  private forgetWaiter(mandateId: string, waiter: VersionWaiter): void {
    const set = this.waiters.get(mandateId);
    set?.delete(waiter);
    if (set?.size === 0) this.waiters.delete(mandateId);
  }
}
