import {
  evaluateAuthority,
  managedUnitOf,
  unitAncestry,
  type AuthorityFacts,
  type AuthorityMandate,
  type AuthorityQuery,
  type AuthorityUnit,
  type VersionedAuthorityMandate,
} from './evaluate-authority';

const units: AuthorityUnit[] = [
  { id: 'root', parentId: null, managerIds: ['ceo'] },
  { id: 'claims', parentId: 'root', managerIds: ['manager'] },
  { id: 'sub', parentId: 'claims', managerIds: ['sub-boss'] },
];

const active: AuthorityMandate = {
  mandateId: 'm-1',
  status: 'active',
  delegateId: 'anna',
  taskType: 'case-distribution',
  scope: { unitId: 'claims', queueId: 'motor' },
  authorities: ['cases.assign', 'cases.prioritise'],
  pendingAuthorities: [],
  period: { from: '2026-01-01T00:00:00.000Z', until: '2026-07-01T00:00:00.000Z' },
  suspensions: [],
  activatedAt: '2026-01-01T00:00:00.000Z',
  endedAt: null,
  endReason: null,
};

function facts(mandates: readonly VersionedAuthorityMandate[], unitList: readonly AuthorityUnit[] = units): AuthorityFacts {
  const byId = new Map(unitList.map((u) => [u.id, u]));
  return { unit: (id) => byId.get(id), mandatesOfDelegate: (personId) => mandates.filter((m) => m.mandate.delegateId === personId) };
}

const ask = (overrides: Partial<AuthorityQuery> = {}): AuthorityQuery => ({
  personId: 'anna',
  authority: 'cases.assign',
  unitId: 'claims',
  queueId: 'motor',
  at: '2026-03-01T00:00:00.000Z',
  ...overrides,
});
const one = (mandate: AuthorityMandate, version = 2) => facts([{ version, mandate }]);

describe('evaluateAuthority', () => {
  describe('formal managers', () => {
    it('allow a manager of the unit anything there', () => {
      expect(evaluateAuthority(facts([]), ask({ personId: 'manager', authority: 'anything.at-all' }))).toEqual({
        allowed: true,
        basis: 'formal-manager',
        mandateId: null,
        mandateVersion: null,
        reason: 'formal manager of claims',
      });
    });

    it('allow a manager of a unit above, naming it', () => {
      expect(evaluateAuthority(facts([]), ask({ personId: 'ceo', unitId: 'sub' }))).toMatchObject({ allowed: true, basis: 'formal-manager', reason: 'formal manager of root, above sub' });
    });

    it('do not let a manager of a sub-unit act in the parent', () => {
      expect(evaluateAuthority(facts([]), ask({ personId: 'sub-boss' })).allowed).toBe(false);
    });

    it('take precedence over a mandate the manager also holds (it does not depend on a mandate that may end)', () => {
      expect(evaluateAuthority(one({ ...active, delegateId: 'manager' }), ask({ personId: 'manager' })).basis).toBe('formal-manager');
    });

    it('stop at a loop in the unit data', () => {
      const looped = [{ id: 'a', parentId: 'b', managerIds: [] }, { id: 'b', parentId: 'a', managerIds: [] }];
      expect(unitAncestry(facts([], looped), 'a')).toEqual(['a', 'b']);
      expect(evaluateAuthority(facts([], looped), ask({ unitId: 'a', personId: 'x' })).allowed).toBe(false);
      expect(managedUnitOf(facts([]), 'ceo', 'sub')).toBe('root');
    });
  });

  describe('mandates', () => {
    it('allow the delegate on a mandate in force, stamping its id and version', () => {
      expect(evaluateAuthority(one(active, 3), ask())).toEqual({
        allowed: true,
        basis: 'mandate',
        mandateId: 'm-1',
        mandateVersion: 3,
        reason: 'mandate m-1 (case-distribution) grants cases.assign in claims/queue:motor',
      });
    });

    it('grant within their scope only: a queue mandate not another queue, a unit-wide one all queues, none a sub-unit', () => {
      expect(evaluateAuthority(one(active), ask({ queueId: 'home' })).allowed).toBe(false);
      const unitWide = { ...active, scope: { unitId: 'claims' } };
      expect(evaluateAuthority(one(unitWide), ask({ queueId: 'home' })).allowed).toBe(true);
      expect(evaluateAuthority(one(unitWide), ask({ queueId: undefined })).allowed).toBe(true);
      expect(evaluateAuthority(one(unitWide), ask({ unitId: 'sub' })).allowed).toBe(false);
      expect(evaluateAuthority(one({ ...active, scope: { unitId: 'claims', projectId: 'p' } }), ask({ queueId: undefined, projectId: 'q' })).allowed).toBe(false);
    });

    it('hold from `from` (inclusive) until `until` (exclusive)', () => {
      expect(evaluateAuthority(one(active), ask({ at: active.period.from })).allowed).toBe(true);
      expect(evaluateAuthority(one(active), ask({ at: '2026-06-30T23:59:59.999Z' })).allowed).toBe(true);
      expect(evaluateAuthority(one(active), ask({ at: '2025-12-31T23:59:59.999Z' })).reason).toMatch(/starts at/);
      expect(evaluateAuthority(one(active), ask({ at: active.period.until })).reason).toMatch(/ran until/);
    });

    it('do not hold while suspended, after the end, before acceptance or after a decline', () => {
      const suspended = { ...active, status: 'suspended' as const, suspensions: [{ from: '2026-02-01T00:00:00.000Z', until: null }] };
      expect(evaluateAuthority(one(suspended), ask()).reason).toMatch(/suspended/);
      expect(evaluateAuthority(one(suspended), ask({ at: '2026-01-15T00:00:00.000Z' })).allowed).toBe(true);
      const resumed = { ...active, suspensions: [{ from: '2026-02-01T00:00:00.000Z', until: '2026-02-10T00:00:00.000Z' }] };
      expect(evaluateAuthority(one(resumed), ask({ at: '2026-02-09T00:00:00.000Z' })).allowed).toBe(false);
      expect(evaluateAuthority(one(resumed), ask({ at: '2026-02-10T00:00:00.000Z' })).allowed).toBe(true);
      const revoked = { ...active, status: 'ended' as const, endedAt: '2026-02-15T00:00:00.000Z', endReason: 'revoked' };
      expect(evaluateAuthority(one(revoked), ask()).reason).toMatch(/ended \(revoked\)/);
      expect(evaluateAuthority(one(revoked), ask({ at: '2026-02-14T00:00:00.000Z' })).allowed).toBe(true);
      expect(evaluateAuthority(one({ ...active, status: 'proposed', activatedAt: null }), ask()).reason).toMatch(/not yet accepted/);
      expect(evaluateAuthority(one({ ...active, status: 'declined', activatedAt: null }), ask()).reason).toMatch(/declined/);
    });

    it('name the nearest miss with its version when refusing, and authorities awaiting the delegate’s consent', () => {
      const suspended = { ...active, status: 'suspended' as const, suspensions: [{ from: '2026-02-01T00:00:00.000Z', until: null }] };
      expect(evaluateAuthority(one(suspended, 4), ask())).toMatchObject({ allowed: false, basis: null, mandateId: 'm-1', mandateVersion: 4 });
      const pending = { ...active, authorities: ['cases.prioritise'], pendingAuthorities: ['cases.assign'] };
      expect(evaluateAuthority(one(pending, 5), ask())).toMatchObject({ allowed: false, mandateId: 'm-1', mandateVersion: 5, reason: expect.stringMatching(/not yet accepted/) });
    });

    it('name the same mandate whatever the order they are read in: earliest start, then smallest id', () => {
      const later = { version: 1, mandate: { ...active, mandateId: 'm-0', period: { ...active.period, from: '2026-01-02T00:00:00.000Z' } } };
      const sameStart = { version: 1, mandate: { ...active, mandateId: 'm-2' } };
      const first = { version: 7, mandate: active };
      expect(evaluateAuthority(facts([later, sameStart, first]), ask()).mandateId).toBe('m-1');
      expect(evaluateAuthority(facts([first, sameStart, later].reverse()), ask()).mandateId).toBe('m-1');
    });

    it('grant even where the unit is not known yet (its directory entry may arrive after the mandate)', () => {
      expect(evaluateAuthority(facts([{ version: 1, mandate: active }], []), ask()).allowed).toBe(true);
    });
  });

  it('refuses people without basis, says when the unit is unknown, and rejects a malformed time', () => {
    expect(evaluateAuthority(facts([]), ask())).toMatchObject({ allowed: false, basis: null, mandateId: null, mandateVersion: null });
    expect(evaluateAuthority(facts([]), ask({ unitId: 'unit-x' })).reason).toMatch(/unit unit-x is unknown/);
    expect(() => evaluateAuthority(facts([]), ask({ at: 'yesterday' }))).toThrow(RangeError);
  });
});
