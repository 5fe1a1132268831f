import { evaluateAuthority, type AuthorityFacts, type VersionedMandate } from './authority-evaluation';
import { MandateChanged, type MandateSnapshot } from './mandate-changed.integration-event';

const base: MandateSnapshot = MandateChanged.examples[0]!.mandate;

describe('authority evaluation over the published snapshot', () => {
  // The evaluator's rules are specified in @leadership/authority-evaluation; this checks that the
  // published shape is what it evaluates, so a consumer needs nothing but the topic's messages.
  it('answers from MandateChanged snapshots as consumers keep them', () => {
    const mandates: VersionedMandate[] = [{ version: 3, mandate: base }];
    const facts: AuthorityFacts = {
      unit: (id) => (id === 'unit-claims' ? { parentId: null, managerIds: ['person-manager-1'] } : undefined),
      mandatesOfDelegate: (personId) => mandates.filter((m) => m.mandate.delegateId === personId),
    };
    const query = { personId: 'person-anna', authority: 'cases.assign', unitId: 'unit-claims', queueId: 'queue-motor', at: '2026-03-01T00:00:00.000Z' };
    expect(evaluateAuthority(facts, query)).toEqual({ allowed: true, basis: 'mandate', mandateId: base.mandateId, mandateVersion: 3, reason: expect.any(String) });
    expect(evaluateAuthority(facts, { ...query, at: '2026-07-01T00:00:00.000Z' })).toMatchObject({ allowed: false, mandateId: base.mandateId, mandateVersion: 3 });
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
