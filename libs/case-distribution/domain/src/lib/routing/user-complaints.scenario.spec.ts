import { fold } from '@leadership/kernel';
import { agent, at, routingQueue, T0, waiting } from '../../spec/case-distribution.fixtures';
import { agentAvailabilityAt, agentDecider } from '../agent/agent.decider';
import type { AgentEvent } from '../agent/agent.events';
import type { RoutingAgent } from './routing-snapshot';
import { routeCases } from './route-cases';

/*
 * The complaints users of Omni-Channel, Zendesk, ServiceNow AWA and Freshdesk make, as scenarios
 * at the domain level. (3) "substitutes don't chain" is about mandates (the delegation context) and
 * has no place in routing.
 */
describe('what users of other routing tools complain about', () => {
  it('(1) backlog is picked up as soon as capacity frees, oldest first, without overflowing', () => {
    const queue = routingQueue({}, { overflowQueueId: 'second-line' });
    const backlog = ['c1', 'c2', 'c3', 'c4'].map((id, i) => waiting(id, { receivedAt: at(i) }));
    const first = routeCases({ queue, cases: backlog, agents: [agent('cleo', { capacity: 2 })] }, at(5));
    expect(first.offers.map((o) => o.caseId)).toEqual(['c1', 'c2']);
    expect(first.overflows).toEqual([]);
    // Cleo resolves c1: the next routing run (triggered by the resolution) takes the oldest waiting case.
    const next = routeCases({ queue, cases: backlog.slice(2), agents: [agent('cleo', { capacity: 2, load: 1, activeCases: 1 })] }, at(20));
    expect(next.offers.map((o) => [o.caseId, o.agentId])).toEqual([['c3', 'cleo']]);
  });

  it('(2) no work goes to absent people, nor to people busy elsewhere (an onboarding session they present)', () => {
    const onLeave = agent('ana', { absences: [{ from: at(-60 * 24), to: at(60 * 24) }] });
    const presenting = agent('ben', { unavailability: [{ from: at(0), to: at(90) }] });
    const cases = [waiting('c1'), waiting('c2', { receivedAt: at(1) })];
    const plan = routeCases({ queue: routingQueue(), cases, agents: [onLeave, presenting, agent('cleo', { capacity: 1 })] }, at(30));
    expect(plan.offers.map((o) => o.agentId)).toEqual(['cleo']);
    // After the session Ben is offered work again.
    const after = routeCases({ queue: routingQueue(), cases: [cases[1]!], agents: [onLeave, presenting] }, at(90));
    expect(after.offers.map((o) => o.agentId)).toEqual(['ben']);
  });

  it('(4) fast agents are not punished by capacity routing: work fills every agent to the same share of capacity', () => {
    const cases = Array.from({ length: 6 }, (_, i) => waiting(`c${i}`, { receivedAt: at(i) }));
    const fast = agent('fast', { capacity: 8 });
    const slow = agent('slow', { capacity: 4 });
    const plan = routeCases({ queue: routingQueue(), cases, agents: [fast, slow] }, at(10));
    const count = (id: string) => plan.offers.filter((o) => o.agentId === id).length;
    // Half of each capacity: not all six on the fast agent (absolute spare capacity would give fast 5 of 6).
    expect([count('fast'), count('slow')]).toEqual([4, 2]);
    // The fast agent clears her four quickly; with equal shares the next case goes to whoever waited longer.
    const again = routeCases({ queue: routingQueue(), cases: [waiting('n1', { receivedAt: at(30) })], agents: [{ ...fast, lastAssignedAt: at(10) }, { ...slow, lastAssignedAt: at(5) }] }, at(31));
    expect(again.offers.map((o) => o.agentId)).toEqual(['slow']);
  });

  it('(5) a return from leave ramps up instead of flooding', () => {
    // Dana's two weeks of leave end at T0; the agent aggregate says when she came back.
    const history: AgentEvent[] = [
      { type: 'AgentAbsenceRecorded', data: { personId: 'dana', actorId: 'dana', at: at(-60 * 24 * 20), absenceId: 'leave', from: at(-60 * 24 * 14), to: T0 } },
      { type: 'AgentPresenceChanged', data: { personId: 'dana', actorId: 'dana', at: T0, status: 'available', reason: 'self' } },
    ];
    const dana = (now: string): RoutingAgent => {
      const availability = agentAvailabilityAt(fold(agentDecider, history), now);
      return agent('dana', { capacity: 6, presence: availability.presence, returnedFromAbsenceAt: availability.returnedFromAbsenceAt });
    };
    const backlog = Array.from({ length: 10 }, (_, i) => waiting(`c${i}`, { receivedAt: at(-100 + i) }));
    const danaOffers = (now: string) => routeCases({ queue: routingQueue(), cases: backlog, agents: [dana(now)] }, now).offers.length;
    expect(danaOffers(at(1))).toBe(3);
    expect(danaOffers(at(150))).toBe(4);
    expect(danaOffers(at(240))).toBe(6);
  });
});
