import { evaluateAuthority, type AuthorityFacts, type VersionedMandate } from './authority-evaluation';
import { MandateChanged, type MandateSnapshot } from './mandate-changed.integration-event';

const base: MandateSnapshot = MandateChanged.examples[0]!.mandate;

function facts(mandates: VersionedMandate[], units: Record<string, { parentId: string | null; managerIds: string[] }>): AuthorityFacts {
  return {
    unit: (id) => units[id],
    mandatesOfDelegate: (personId) => mandates.filter((m) => m.mandate.delegateId === personId),
  };
}

const units = {
  'unit-root': { parentId: null, managerIds: ['person-ceo'] },
  'unit-claims': { parentId: 'unit-root', managerIds: ['person-manager-1'] },
};
const query = { personId: 'person-anna', authority: 'cases.assign', unitId: 'unit-claims', queueId: 'queue-motor', at: '2026-03-01T00:00:00.000Z' };

describe('evaluateAuthority', () => {
  it('allows formal managers of the unit and of units above it', () => {
    const f = facts([], units);
    expect(evaluateAuthority(f, { ...query, personId: 'person-manager-1' })).toMatchObject({ allowed: true, basis: 'formal-manager' });
    expect(evaluateAuthority(f, { ...query, personId: 'person-ceo' })).toMatchObject({ allowed: true, basis: 'formal-manager', reason: expect.stringMatching(/unit-root/) });
  });

  it('allows a delegate whose mandate is in force and grants the authority, naming mandate and version', () => {
    const decision = evaluateAuthority(facts([{ version: 3, mandate: base }], units), query);
    expect(decision).toEqual({ allowed: true, basis: 'mandate', mandateId: base.mandateId, mandateVersion: 3, reason: expect.any(String) });
  });

  it('denies outside the period, while suspended, after the end, for pending authorities and other queues', () => {
    const f = (m: MandateSnapshot) => facts([{ version: 1, mandate: m }], units);
    expect(evaluateAuthority(f(base), { ...query, at: '2025-12-31T23:59:59.999Z' }).allowed).toBe(false);
    expect(evaluateAuthority(f(base), { ...query, at: '2026-07-01T00:00:00.000Z' }).reason).toMatch(/expired/);
    const suspended = { ...base, status: 'suspended' as const, suspensions: [{ from: '2026-02-01T00:00:00.000Z', until: null }] };
    expect(evaluateAuthority(f(suspended), query).reason).toMatch(/suspended/);
    expect(evaluateAuthority(f(suspended), { ...query, at: '2026-01-15T00:00:00.000Z' }).allowed).toBe(true);
    const revoked = { ...base, status: 'ended' as const, endedAt: '2026-02-15T00:00:00.000Z', endReason: 'revoked' as const };
    expect(evaluateAuthority(f(revoked), query).reason).toMatch(/revoked/);
    expect(evaluateAuthority(f(revoked), { ...query, at: '2026-02-14T00:00:00.000Z' }).allowed).toBe(true);
    const pending = { ...base, authorities: ['cases.prioritise'], pendingAuthorities: ['cases.assign'] };
    expect(evaluateAuthority(f(pending), query).reason).toMatch(/not yet accepted/);
    expect(evaluateAuthority(f(base), { ...query, queueId: 'queue-home' }).allowed).toBe(false);
    expect(evaluateAuthority(f({ ...base, status: 'proposed', activatedAt: null, acceptedAt: null }), query).allowed).toBe(false);
  });

  it('denies unknown units and people without basis, and rejects a malformed time', () => {
    expect(evaluateAuthority(facts([], units), { ...query, unitId: 'unit-x' }).reason).toMatch(/unknown/);
    expect(evaluateAuthority(facts([], units), query)).toMatchObject({ allowed: false, basis: null, mandateId: null });
    expect(() => evaluateAuthority(facts([], units), { ...query, at: 'yesterday' })).toThrow(RangeError);
  });
});

describe('MandateChanged contract', () => {
  it('rejects unknown fields and wrong types', () => {
    const valid = MandateChanged.examples[0]!;
    expect(MandateChanged.safeParse(valid).success).toBe(true);
    expect(MandateChanged.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    expect(MandateChanged.safeParse({ ...valid, mandate: { ...valid.mandate, delegateEmail: 'a@b.c' } }).success).toBe(false);
    expect(MandateChanged.safeParse({ ...valid, version: -1 }).success).toBe(false);
    expect(MandateChanged.keyOf(valid)).toBe(valid.mandateId);
  });
});
