import { evaluateAuthority, type VersionedMandate } from '@leadership/delegation-contracts';
import { evolveMandate, may, type AuthorityUnit, type ExistingMandate, type MandateEvent, type MandateState } from '@leadership/delegation-domain';
import { toMandateSnapshot } from './mandate-snapshot.mapper';

/*
 * Other services answer authority questions with the contracts' `evaluateAuthority` over the
 * published snapshots; the delegation service with the domain's `may`. Both must give the same
 * answer (allowed, basis, mandate and version) for any history: checked on random worlds.
 */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const base = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const authorities = ['cases.assign', 'cases.prioritise', 'cases.view-all'];

function randomMandate(rand: () => number, i: number, units: readonly string[], people: readonly string[]): { state: ExistingMandate; version: number } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const mandateId = `m-${String(i).padStart(3, '0')}`;
  const from = base + Math.floor(rand() * 48) * HOUR;
  const until = from + (1 + Math.floor(rand() * 72)) * HOUR;
  const granted = authorities.filter(() => rand() < 0.6);
  const events: MandateEvent[] = [];
  const data = (at: number) => ({ mandateId, actorId: 'x', at: iso(at) });
  const scope = rand() < 0.5 ? { unitId: pick(units) } : { unitId: pick(units), queueId: pick(['q1', 'q2']) };
  events.push({
    type: 'MandateProposed',
    data: {
      ...data(from - 10 * HOUR),
      delegatorId: 'boss',
      delegateId: pick(people),
      taskType: 'case-distribution',
      scope,
      direction: { purpose: 'p', successCriteria: [] },
      framework: { rules: [{ id: 'r', text: 't', mode: 'warn' }], reservedDecisions: [], escalationContactId: 'boss' },
      authorities: granted.length > 0 ? granted : ['cases.assign'],
      period: { from: iso(from), until: iso(until) },
      reviewCadenceDays: 30,
      deputyId: null,
      basis: { kind: 'formal-manager' },
    },
  });
  const r = rand();
  if (r < 0.1) events.push({ type: 'MandateDeclined', data: { ...data(from - 5 * HOUR), reason: 'no' } });
  else if (r > 0.2) {
    events.push({ type: 'MandateAccepted', data: data(from - 5 * HOUR) });
    if (rand() < 0.85) {
      const activated = from + Math.floor(rand() * 2) * HOUR;
      events.push({ type: 'MandateActivated', data: data(activated) });
      if (rand() < 0.3) {
        const suspended = activated + Math.floor(rand() * 10) * HOUR;
        events.push({ type: 'MandateSuspended', data: { ...data(suspended), reason: 's' } });
        if (rand() < 0.5) events.push({ type: 'MandateResumed', data: data(suspended + Math.floor(1 + rand() * 10) * HOUR) });
      }
      if (rand() < 0.2) events.push({ type: 'MandateExpansionProposed', data: { ...data(activated + HOUR), authorities: ['cases.view-all'] } });
      const end = rand();
      if (end < 0.2) events.push({ type: 'MandateRevoked', data: { ...data(activated + 30 * HOUR), reason: 'r' } });
      else if (end < 0.3) events.push({ type: 'MandateExpired', data: { ...data(until), until: iso(until) } });
    }
  }
  // Keep events in time order (later ones may have been generated with earlier times).
  const sorted = [events[0]!, ...events.slice(1).sort((a, b) => Date.parse(a.data.at) - Date.parse(b.data.at))];
  const state = sorted.reduce<MandateState>((s, e) => evolveMandate(s, e), { status: 'none' });
  if (state.status === 'none') throw new Error('unreachable');
  return { state, version: sorted.length - 1 };
}

describe('authority: contracts evaluateAuthority agrees with the domain may', () => {
  it.each([1, 2, 3, 4, 5])('on random world %i', (seed) => {
    const rand = prng(seed);
    const unitList: AuthorityUnit[] = [
      { id: 'root', parentId: null, managerIds: ['ceo'] },
      { id: 'u1', parentId: 'root', managerIds: ['boss'] },
      { id: 'u2', parentId: 'root', managerIds: [] },
      { id: 'u3', parentId: 'u2', managerIds: ['boss2'] },
    ];
    const people = ['anna', 'bob', 'cem', 'dana', 'boss', 'ceo'];
    const mandates = Array.from({ length: 40 }, (_, i) => randomMandate(rand, i, ['u1', 'u2', 'u3'], people));
    const domainSnapshot = { units: unitList, mandates: mandates.map((m) => ({ ...m.state, version: m.version })) };
    const versioned: VersionedMandate[] = mandates.map((m) => ({ version: m.version, mandate: toMandateSnapshot(m.state) }));
    const facts = {
      unit: (id: string) => unitList.find((u) => u.id === id),
      mandatesOfDelegate: (personId: string) => versioned.filter((v) => v.mandate.delegateId === personId),
    };
    let allowedCount = 0;
    for (let q = 0; q < 400; q++) {
      const query = {
        personId: people[Math.floor(rand() * people.length)]!,
        authority: authorities[Math.floor(rand() * authorities.length)]!,
        unitId: ['u1', 'u2', 'u3'][Math.floor(rand() * 3)]!,
        ...(rand() < 0.5 ? { queueId: rand() < 0.5 ? 'q1' : 'q2' } : {}),
        at: iso(base + Math.floor(rand() * 130) * HOUR),
      };
      const domain = may(domainSnapshot, query);
      const contract = evaluateAuthority(facts, query);
      if (domain.allowed) allowedCount++;
      expect({ query, allowed: contract.allowed, basis: contract.basis, mandateId: contract.allowed ? contract.mandateId : null, version: contract.allowed ? contract.mandateVersion : null }).toEqual({
        query,
        allowed: domain.allowed,
        basis: domain.basis,
        mandateId: domain.allowed ? (domain.mandateId ?? null) : null,
        version: domain.allowed ? (domain.mandateVersion ?? null) : null,
      });
    }
    // The worlds must exercise both answers, or the comparison proves little.
    expect(allowedCount).toBeGreaterThan(20);
    expect(allowedCount).toBeLessThan(380);
  });
});
