import { activeHistory, DELEGATE, event, FROM, MANAGER, MANDATE_ID, proposed, UNIT, UNTIL } from '../../spec/mandate.fixtures';
import { PEOPLE, QUEUES, randomQueryInstant, randomWorld, seededRandom } from '../../spec/random-history';
import { fold } from '@leadership/kernel';
import type { MandateEvent } from '../mandate/mandate.events';
import { mandateDecider } from '../mandate/mandate.decider';
import type { MandateSnapshot } from '../mandate/mandate.queries';
import type { ExistingMandate } from '../mandate/mandate.state';
import { caseDistribution } from '../../spec/mandate.fixtures';
import { AuthorityIndex, may, whyAllowed, type AuthorityQuery, type AuthorityUnit } from './authority';
import { mandatesAsOf } from './mandates-as-of';

const units: AuthorityUnit[] = [
  { id: 'root', parentId: null, managerIds: ['ceo'] },
  { id: UNIT, parentId: 'root', managerIds: [MANAGER] },
  { id: 'sub', parentId: UNIT, managerIds: [] },
];

function snapshotOf(...histories: (readonly MandateEvent[])[]): MandateSnapshot[] {
  return histories.map((history) => ({ ...(fold(mandateDecider, history) as ExistingMandate), version: history.length - 1 }));
}

const during = '2025-03-01T00:00:00Z';
const ask = (overrides: Partial<AuthorityQuery> = {}): AuthorityQuery => ({
  personId: DELEGATE,
  authority: 'cases.assign',
  unitId: UNIT,
  queueId: 'q-1',
  at: during,
  ...overrides,
});

/*
 * The rules of `may` are specified with the one evaluator (@leadership/authority-evaluation). These
 * check that the domain's facts feed it correctly: mandate state folded from real events, versions
 * as stream revisions, units as the directory holds them.
 */
describe('may over the domain\'s facts', () => {
  const active = snapshotOf(activeHistory);

  it('allows the delegate on a mandate in force, stamping the mandate id and its stream revision', () => {
    expect(may({ units, mandates: active }, ask())).toEqual({
      allowed: true,
      basis: 'mandate',
      mandateId: MANDATE_ID,
      mandateVersion: 2,
      reason: `mandate ${MANDATE_ID} (case-distribution) grants cases.assign in ${UNIT}/queue:q-1`,
    });
  });

  it('allows formal managers of the unit and above from the directory\'s units', () => {
    expect(may({ units, mandates: [] }, ask({ personId: 'ceo', unitId: 'sub' }))).toMatchObject({ allowed: true, basis: 'formal-manager', mandateId: null });
  });

  it('refuses while suspended and allows again after resumption (the state keeps the windows)', () => {
    const mandates = snapshotOf([...activeHistory, event.suspended('2025-02-10T00:00:00Z'), event.resumed('2025-02-20T00:00:00Z')]);
    expect(may({ units, mandates }, ask({ at: '2025-02-09T23:59:59Z' })).allowed).toBe(true);
    expect(may({ units, mandates }, ask({ at: '2025-02-10T00:00:00Z' }))).toMatchObject({ allowed: false, mandateId: MANDATE_ID, mandateVersion: 4 });
    expect(may({ units, mandates }, ask({ at: '2025-02-20T00:00:00Z' })).allowed).toBe(true);
  });

  it('refuses before acceptance and after revocation, saying why', () => {
    expect(may({ units, mandates: snapshotOf([proposed()]) }, ask()).reason).toContain('not yet accepted');
    const revoked = snapshotOf([...activeHistory, event.revoked('2025-02-15T00:00:00Z')]);
    expect(may({ units, mandates: revoked }, ask({ at: '2025-02-14T00:00:00Z' })).allowed).toBe(true);
    expect(may({ units, mandates: revoked }, ask()).reason).toContain('ended (revoked)');
  });

  it('does not grant authorities of a pending expansion', () => {
    const mandates = snapshotOf([...activeHistory, event.expansionProposed(['cases.view-all'])]);
    expect(may({ units, mandates }, ask({ authority: 'cases.view-all' }))).toMatchObject({ allowed: false, mandateId: MANDATE_ID, reason: expect.stringContaining('not yet accepted') });
  });
});

describe('whyAllowed', () => {
  it('ends a formal manager chain at the managed unit', () => {
    expect(whyAllowed({ units, mandates: [] }, ask({ personId: 'ceo' })).chain).toEqual([
      { kind: 'formal-manager', personId: 'ceo', unitId: 'root', inherited: true },
    ]);
  });

  it('follows mandate → delegator → their managerial basis', () => {
    const { chain } = whyAllowed({ units, mandates: snapshotOf(activeHistory) }, ask());
    expect(chain).toEqual([
      expect.objectContaining({ kind: 'mandate', mandateId: MANDATE_ID, mandateVersion: 2, delegatorId: MANAGER, delegateId: DELEGATE }),
      { kind: 'formal-manager', personId: MANAGER, unitId: UNIT, inherited: false },
    ]);
  });

  it('follows a re-delegation through the basis mandate', () => {
    const parent = [
      proposed({ mandateId: 'm-parent', taskType: 'onboarding', scope: { unitId: UNIT }, authorities: ['onboarding.plan'] }),
      event.accepted(undefined, 'm-parent'),
      event.activated(undefined, 'm-parent'),
    ];
    const childProposal = proposed({
      mandateId: 'm-child',
      delegatorId: DELEGATE,
      delegateId: 'helper',
      taskType: 'onboarding',
      scope: { unitId: UNIT },
      authorities: ['onboarding.plan'],
    });
    const child: MandateEvent[] = [
      { ...childProposal, data: { ...childProposal.data, basis: { kind: 'mandate', mandateId: 'm-parent' } } } as MandateEvent,
      { type: 'MandateAccepted', data: { mandateId: 'm-child', actorId: 'helper', at: '2025-01-12T00:00:00Z' } },
      event.activated(undefined, 'm-child'),
    ];
    const query = ask({ personId: 'helper', authority: 'onboarding.plan', queueId: undefined });
    expect(whyAllowed({ units, mandates: snapshotOf(parent, child) }, query).chain.map((link) => [link.kind, link.kind === 'mandate' ? link.mandateId : link.personId])).toEqual([
      ['mandate', 'm-child'],
      ['mandate', 'm-parent'],
      ['formal-manager', MANAGER],
    ]);
    const parentRevoked = [...parent, { ...event.revoked('2025-02-10T00:00:00Z', 'm-parent') }];
    expect(whyAllowed({ units, mandates: snapshotOf(parentRevoked, child) }, query).chain.at(-1)).toEqual({
      kind: 'broken',
      personId: DELEGATE,
      reason: 'basis mandate m-parent is not in force',
    });
  });

  it('shows a broken link when the delegator no longer manages the unit', () => {
    const reorganised = units.map((unit) => (unit.id === UNIT ? { ...unit, managerIds: ['new-boss'] } : unit));
    expect(whyAllowed({ units: reorganised, mandates: snapshotOf(activeHistory) }, ask()).chain.at(-1)).toMatchObject({
      kind: 'broken',
      personId: MANAGER,
    });
  });

  it('returns no chain for a refusal', () => {
    expect(whyAllowed({ units, mandates: [] }, ask()).chain).toEqual([]);
  });
});

describe('mandatesAsOf', () => {
  it('folds each stream up to the instant and reports the revision as version', () => {
    const history = [...activeHistory, event.revoked('2025-03-01T00:00:00Z')];
    expect(mandatesAsOf(history, '2025-01-10T08:59:59Z')).toEqual([]);
    expect(mandatesAsOf(history, '2025-01-10T09:00:00Z')).toMatchObject([{ status: 'proposed', version: 0 }]);
    expect(mandatesAsOf(history, '2025-02-28T00:00:00Z')).toMatchObject([{ status: 'active', version: 2 }]);
    expect(mandatesAsOf(history, '2025-03-01T00:00:00Z')).toMatchObject([{ status: 'ended', version: 3 }]);
  });

  it('never applies an event after a later-stamped predecessor (prefix only)', () => {
    const skewed = [proposed(), event.accepted('2025-01-20T00:00:00Z'), event.activated('2025-01-15T00:00:00Z')];
    expect(mandatesAsOf(skewed, '2025-01-16T00:00:00Z')).toMatchObject([{ status: 'proposed', version: 0 }]);
  });
});

/*
 * Brute force: random worlds made by the real decider, random questions at random instants; the
 * answer of `may` over the as-of fold must equal a naive reference that replays each mandate's
 * raw events with plain variables and walks the unit tree recursively.
 */
describe('may over the as-of fold, against a naive reference', () => {
  function referenceManages(allUnits: readonly AuthorityUnit[], personId: string, unitId: string, depth = 0): boolean {
    const unit = allUnits.find((candidate) => candidate.id === unitId);
    if (!unit || depth > allUnits.length) return false;
    return unit.managerIds.includes(personId) || (unit.parentId !== null && referenceManages(allUnits, personId, unit.parentId, depth + 1));
  }

  function referenceMay(allUnits: readonly AuthorityUnit[], events: readonly MandateEvent[], query: AuthorityQuery) {
    if (referenceManages(allUnits, query.personId, query.unitId)) return { allowed: true, basis: 'formal-manager' };
    const t = Date.parse(query.at);
    const granting: { id: string; from: number; version: number }[] = [];
    const ids = [...new Set(events.map((e) => e.data.mandateId))];
    for (const id of ids) {
      let status = 'none';
      let version = -1;
      let delegate = '';
      let scope: { unitId: string; queueId?: string } = { unitId: '' };
      let authorities = new Set<string>();
      let pending = new Set<string>();
      let from = 0;
      let until = 0;
      for (const e of events.filter((candidate) => candidate.data.mandateId === id)) {
        if (Date.parse(e.data.at) > t) break;
        version += 1;
        if (e.type === 'MandateProposed') {
          status = 'proposed';
          delegate = e.data.delegateId;
          scope = e.data.scope;
          authorities = new Set(e.data.authorities);
          from = Date.parse(e.data.period.from);
          until = Date.parse(e.data.period.until);
        } else if (e.type === 'MandateActivated' || e.type === 'MandateResumed') status = 'active';
        else if (e.type === 'MandateAccepted') status = 'accepted';
        else if (e.type === 'MandateSuspended') status = 'suspended';
        else if (['MandateRevoked', 'MandateRelinquished', 'MandateExpired', 'MandateCompleted', 'MandateDeclined'].includes(e.type)) status = 'over';
        else if (e.type === 'MandateAmended' && e.data.changes.authorities) authorities = new Set(e.data.changes.authorities);
        else if (e.type === 'MandateExtended') until = Date.parse(e.data.until);
        else if (e.type === 'MandateExpansionProposed') pending = new Set(e.data.authorities);
        else if (e.type === 'MandateExpansionAccepted') pending.forEach((a) => authorities.add(a));
      }
      const covers = scope.unitId === query.unitId && (scope.queueId === undefined || scope.queueId === query.queueId);
      if (status === 'active' && delegate === query.personId && covers && authorities.has(query.authority) && from <= t && t < until) {
        granting.push({ id, from, version });
      }
    }
    granting.sort((a, b) => a.from - b.from || (a.id < b.id ? -1 : 1));
    const first = granting[0];
    return first ? { allowed: true, basis: 'mandate', mandateId: first.id, mandateVersion: first.version } : { allowed: false, basis: null };
  }

  it('agrees on 200 random worlds × 60 questions', () => {
    let granted = 0;
    let byMandate = 0;
    for (let seed = 1; seed <= 200; seed += 1) {
      const world = randomWorld(seed);
      const random = seededRandom(seed * 7919);
      for (let q = 0; q < 60; q += 1) {
        const at = randomQueryInstant(random);
        // Most questions are about a real mandate's delegate, scope and authorities, so that
        // mandate answers are frequent; the rest are about anyone, anywhere.
        const proposals = world.events.flatMap((e) => (e.type === 'MandateProposed' ? [e.data] : []));
        const target = random.next() < 0.7 ? random.pick(proposals) : undefined;
        const query: AuthorityQuery = target
          ? {
              personId: target.delegateId,
              authority: random.pick(target.authorities),
              unitId: target.scope.unitId,
              queueId: random.next() < 0.8 ? target.scope.queueId : random.pick(QUEUES),
              at,
            }
          : {
              personId: random.pick(PEOPLE),
              authority: random.pick(caseDistribution.grantableAuthorities),
              unitId: random.pick(world.units).id,
              queueId: random.next() < 0.5 ? random.pick(QUEUES) : undefined,
              at,
            };
        const actual = new AuthorityIndex({ units: world.units, mandates: mandatesAsOf(world.events, at) }).may(query);
        const expected = referenceMay(world.units, world.events, query);
        // The stamp: what an action relies on (a refusal's nearest miss is explanation, not basis).
        const comparable = actual.basis === 'mandate' ? { allowed: actual.allowed, basis: actual.basis, mandateId: actual.mandateId, mandateVersion: actual.mandateVersion } : { allowed: actual.allowed, basis: actual.basis };
        if (JSON.stringify(comparable) !== JSON.stringify(expected)) {
          throw new Error(`seed ${seed}, query ${JSON.stringify(query)}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
        }
        if (actual.allowed) granted += 1;
        if (actual.basis === 'mandate') byMandate += 1;
      }
    }
    // Guard against a generator that never grants anything (the comparison would then prove little).
    expect(granted).toBeGreaterThan(1000);
    expect(byMandate).toBeGreaterThan(200);
  });

  it('agrees with folding each stream prefix directly, for every instant', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const world = randomWorld(seed);
      const random = seededRandom(seed);
      for (let q = 0; q < 20; q += 1) {
        const at = randomQueryInstant(random);
        const expected = [...new Set(world.events.map((e) => e.data.mandateId))].flatMap((id) => {
          const stream = world.events.filter((e) => e.data.mandateId === id);
          const prefixLength = stream.findIndex((e) => Date.parse(e.data.at) > Date.parse(at));
          const prefix = prefixLength === -1 ? stream : stream.slice(0, prefixLength);
          return prefix.length === 0 ? [] : [{ ...(fold(mandateDecider, prefix) as ExistingMandate), version: prefix.length - 1 }];
        });
        expect(mandatesAsOf(world.events, at)).toEqual(expected);
      }
    }
  });

  it('answers past instants from the current state as long as the terms did not change since', () => {
    // isInForceAt relies on the activation/suspension/end timeline kept in state: check it against
    // the as-of fold for every mandate whose authorities and period stayed as proposed.
    for (let seed = 1; seed <= 100; seed += 1) {
      const world = randomWorld(seed);
      const now = mandatesAsOf(world.events, '2099-01-01T00:00:00Z');
      const stable = now.filter((m) => !world.events.some((e) => e.data.mandateId === m.mandateId && ['MandateAmended', 'MandateExtended', 'MandateExpansionAccepted'].includes(e.type)));
      const random = seededRandom(seed + 1);
      for (let q = 0; q < 20; q += 1) {
        const at = randomQueryInstant(random);
        const past = new Map(mandatesAsOf(world.events, at).map((m) => [m.mandateId, m]));
        for (const mandate of stable) {
          const then = past.get(mandate.mandateId);
          const query = { personId: mandate.delegateId, authority: mandate.authorities[0]!, unitId: mandate.scope.unitId, queueId: mandate.scope.queueId, at };
          const fromNow = new AuthorityIndex({ units: [], mandates: [mandate] }).may(query).allowed;
          const fromThen = then ? new AuthorityIndex({ units: [], mandates: [then] }).may(query).allowed : false;
          expect({ seed, at, mandateId: mandate.mandateId, allowed: fromNow }).toEqual({ seed, at, mandateId: mandate.mandateId, allowed: fromThen });
        }
      }
    }
  });
});

describe('period boundaries', () => {
  it('treats from as inclusive and until as exclusive', () => {
    const mandates = snapshotOf(activeHistory);
    expect(may({ units, mandates }, ask({ at: FROM })).allowed).toBe(true);
    expect(may({ units, mandates }, ask({ at: '2025-07-31T23:59:59.999Z' })).allowed).toBe(true);
    expect(may({ units, mandates }, ask({ at: UNTIL })).allowed).toBe(false);
  });
});
