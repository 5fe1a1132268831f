import { agent, at, routingQueue, T0, waiting } from '../../spec/case-distribution.fixtures';
import { routeCases } from './route-cases';

const NOW = at(1);
const offersOf = (plan: ReturnType<typeof routeCases>) => plan.offers.map((o) => [o.caseId, o.agentId]);

describe('routeCases', () => {
  describe('modes', () => {
    it('most-available picks the highest share of spare capacity, then the longest wait since the last assignment', () => {
      const agents = [agent('big', { capacity: 10, load: 4 }), agent('small', { capacity: 2, load: 0 }), agent('idle', { capacity: 4, load: 0, lastAssignedAt: at(-60) })];
      const plan = routeCases({ queue: routingQueue(), cases: [waiting('c1')], agents }, NOW);
      // small and idle both have all their capacity spare; small was never assigned, so it waited longest.
      expect(offersOf(plan)).toEqual([['c1', 'small']]);
      const [offer] = plan.offers;
      expect(offer?.explanation).toMatchObject({ mode: 'most-available', candidates: expect.arrayContaining([{ agentId: 'big', eligible: true, spareCapacity: 6, score: 0.6 }]) });
      expect(offer?.expiresAt).toBe(at(2));
    });

    it('least-active picks the fewest active cases', () => {
      const agents = [agent('a', { activeCases: 3 }), agent('b', { activeCases: 1, load: 5 }), agent('c', { activeCases: 2 })];
      expect(offersOf(routeCases({ queue: routingQueue({ mode: 'least-active' }), cases: [waiting('c1')], agents }, NOW))).toEqual([['c1', 'b']]);
    });

    it('round-robin picks the longest since the last assignment, never assigned first, then by person id', () => {
      const agents = [agent('a', { lastAssignedAt: at(-5) }), agent('b', { lastAssignedAt: at(-30) }), agent('c', { lastAssignedAt: at(-10) })];
      const cases = [waiting('c1'), waiting('c2', { receivedAt: at(0.5) }), waiting('c3', { receivedAt: at(0.7) })];
      expect(offersOf(routeCases({ queue: routingQueue({ mode: 'round-robin' }), cases, agents }, NOW))).toEqual([['c1', 'b'], ['c2', 'c'], ['c3', 'a']]);
      const fresh = [agent('z'), agent('y')];
      expect(offersOf(routeCases({ queue: routingQueue({ mode: 'round-robin' }), cases: [waiting('c1')], agents: fresh }, NOW))).toEqual([['c1', 'y']]);
    });
  });

  it('orders cases by priority, then by original arrival', () => {
    const cases = [waiting('p3-old', { receivedAt: at(-30) }), waiting('p1-new', { priority: 'P1', receivedAt: at(0) }), waiting('p3-older', { receivedAt: at(-40) })];
    const plan = routeCases({ queue: routingQueue(), cases, agents: [agent('a', { capacity: 2 })] }, NOW);
    expect(offersOf(plan)).toEqual([['p1-new', 'a'], ['p3-older', 'a']]);
  });

  it('never fills anyone beyond capacity within one run (channel weights count)', () => {
    const cases = [waiting('e1', { channel: 'email' }), waiting('e2', { channel: 'email' }), waiting('e3', { channel: 'email' })];
    const plan = routeCases({ queue: routingQueue(), cases, agents: [agent('a', { capacity: 5, load: 0 })] }, NOW);
    expect(offersOf(plan)).toEqual([['e1', 'a'], ['e2', 'a']]);
    expect(plan.overflows).toEqual([]);
  });

  describe('skills', () => {
    it('needs every required skill at the level', () => {
      const cases = [waiting('c1', { requiredSkills: [{ name: 'motor', level: 4 }] })];
      const agents = [agent('novice', { skills: [{ name: 'motor', level: 3 }] }), agent('expert', { skills: [{ name: 'motor', level: 5 }], load: 5 })];
      const plan = routeCases({ queue: routingQueue(), cases, agents }, NOW);
      expect(offersOf(plan)).toEqual([['c1', 'expert']]);
      expect(plan.offers[0]?.explanation.candidates.find((c) => c.agentId === 'novice')).toMatchObject({ eligible: false, excludedBecause: 'missing-required-skill' });
    });

    it('drops preferred skills once the case waited the relaxation time', () => {
      const agents = [agent('plain')];
      // Relaxation after 10 minutes: waited 9 at NOW, 10 a minute later.
      const item = waiting('c1', { preferredSkills: [{ name: 'german', level: 2 }], receivedAt: at(-8) });
      expect(routeCases({ queue: routingQueue(), cases: [item], agents }, NOW).offers).toEqual([]);
      expect(offersOf(routeCases({ queue: routingQueue(), cases: [item], agents }, at(2)))).toEqual([['c1', 'plain']]);
    });
  });

  it('does not offer a case to someone who declined it', () => {
    const plan = routeCases({ queue: routingQueue(), cases: [waiting('c1', { declinedBy: ['a'] })], agents: [agent('a'), agent('b', { load: 5 })] }, NOW);
    expect(offersOf(plan)).toEqual([['c1', 'b']]);
  });

  it('sends no work to people absent, in a window of work elsewhere, away or offline', () => {
    const agents = [
      agent('on-leave', { absences: [{ from: at(-600), to: at(600) }] }),
      agent('presenting', { unavailability: [{ from: at(0), to: at(60) }] }),
      agent('away', { presence: 'away' }),
      agent('offline', { presence: 'offline' }),
      agent('back', { absences: [{ from: at(-600), to: at(0) }], load: 5 }),
    ];
    const plan = routeCases({ queue: routingQueue(), cases: [waiting('c1')], agents }, NOW);
    expect(offersOf(plan)).toEqual([['c1', 'back']]);
    expect(plan.offers[0]?.explanation.candidates.map((c) => c.excludedBecause ?? 'eligible')).toEqual(['absent', 'unavailable', 'not-available', 'not-available', 'eligible']);
  });

  it('ramps up an agent back from an absence: half the capacity at first, all of it after four hours', () => {
    const cases = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id, i) => waiting(id, { receivedAt: at(i / 10) }));
    const returning = agent('back', { capacity: 6, returnedFromAbsenceAt: T0 });
    expect(routeCases({ queue: routingQueue(), cases, agents: [returning] }, NOW).offers).toHaveLength(3);
    expect(routeCases({ queue: routingQueue(), cases, agents: [returning] }, at(180)).offers).toHaveLength(5);
    expect(routeCases({ queue: routingQueue(), cases, agents: [returning] }, at(240)).offers).toHaveLength(6);
  });

  describe('overflow', () => {
    it('overflows to the overflow queue when nobody of the queue could take the case at all', () => {
      const plan = routeCases({ queue: routingQueue({}, { overflowQueueId: 'second-line' }), cases: [waiting('c1')], agents: [agent('a', { presence: 'offline' })] }, NOW);
      expect(plan).toEqual({ offers: [], overflows: [{ caseId: 'c1', to: { queueId: 'second-line' }, why: 'no agent of queue general can take it now (not-available: 1)' }] });
    });

    it('escalates to the formal manager without an overflow queue, or when the case was there already, and only once', () => {
      const noAgents = { queue: routingQueue({}, { overflowQueueId: 'second-line' }), agents: [] };
      expect(routeCases({ ...noAgents, cases: [waiting('c1', { visitedQueueIds: ['second-line', 'general'] })] }, NOW).overflows).toEqual([
        { caseId: 'c1', to: { formalManager: true }, why: 'no agent of queue general can take it now (it has no agents)' },
      ]);
      expect(routeCases({ queue: routingQueue(), agents: [], cases: [waiting('c1', { escalatedToFormalManager: true })] }, NOW).overflows).toEqual([]);
    });

    it('keeps a case that only waits for capacity in its queue', () => {
      const plan = routeCases({ queue: routingQueue({}, { overflowQueueId: 'second-line' }), cases: [waiting('c1')], agents: [agent('busy', { load: 6 })] }, NOW);
      expect(plan).toEqual({ offers: [], overflows: [] });
    });
  });

  it('is deterministic', () => {
    const snapshot = { queue: routingQueue(), cases: [waiting('c1'), waiting('c2')], agents: [agent('a'), agent('b')] };
    expect(routeCases(snapshot, NOW)).toEqual(routeCases(snapshot, NOW));
  });
});
