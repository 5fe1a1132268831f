import { effectiveCapacity } from '../agent/ramp-up';
import { channelWeight } from '../queue/queue';
import { hasSkills, PRIORITIES, type Skill } from '../shared/case-vocabulary';
import { within } from '../shared/instant';
import type { RoutingMode } from './routing-explanation';
import type { RoutingAgent, RoutingQueue, WaitingCase } from './routing-snapshot';
import { routeCases } from './route-cases';
import { mulberry32 } from '@leadership/kernel/testing';

/*
 * Property tests over random worlds: a small seeded PRNG (mulberry32) keeps every run the same
 * and a failure reproducible from its seed. Each world is simulated for many steps: cases arrive,
 * the router runs, agents accept, decline or let offers expire, cases are resolved.
 */


const START = Date.parse('2026-03-02T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const SKILLS = ['motor', 'home', 'german'];
const CHANNELS = ['chat', 'email', 'phone', 'letter'];

interface SimCase {
  readonly item: WaitingCase;
  state: 'waiting' | 'offered' | 'assigned' | 'gone';
  agentId: string | null;
  declinedBy: string[];
}

interface World {
  readonly queue: RoutingQueue;
  readonly agents: RoutingAgent[];
  readonly cases: SimCase[];
}

function randomWorld(random: () => number, worldIndex: number): World {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const skills = (max: number): Skill[] => SKILLS.filter(() => random() < 0.5).slice(0, max).map((name) => ({ name, level: int(1, 5) }));
  const mode = pick<RoutingMode>(['most-available', 'least-active', 'round-robin']);
  const queue: RoutingQueue = {
    queueId: 'q',
    routing: { mode, pushTimeoutSeconds: int(10, 120), skillRelaxationSeconds: int(0, 3_600) },
    channelWeights: { chat: 1, email: int(1, 3), phone: int(1, 4) },
    overflowQueueId: random() < 0.5 ? 'overflow' : null,
  };
  const agents = Array.from({ length: int(0, 8) }, (_, i): RoutingAgent => {
    const absent = random() < 0.2;
    return {
      personId: `w${worldIndex}-a${i}`,
      presence: pick(['available', 'available', 'available', 'away', 'offline'] as const),
      absences: absent ? [{ from: iso(START - 3_600_000), to: iso(START + int(0, 6) * 3_600_000) }] : [],
      unavailability: random() < 0.2 ? [{ from: iso(START + int(0, 3) * 3_600_000), to: iso(START + int(4, 8) * 3_600_000) }] : [],
      capacity: int(0, 8),
      skills: skills(3),
      load: 0,
      activeCases: 0,
      lastAssignedAt: null,
      returnedFromAbsenceAt: random() < 0.3 ? iso(START - int(0, 5) * 3_600_000) : null,
    };
  });
  return { queue, agents, cases: [] };
}

/** The oracle: eligibility as the rules state it, written independently of the router. */
function eligibleWithSpare(agent: RoutingAgent, sim: SimCase, queue: RoutingQueue, now: string): boolean {
  const { item } = sim;
  const waitedMs = Date.parse(now) - Date.parse(item.receivedAt);
  const relaxed = waitedMs >= queue.routing.skillRelaxationSeconds * 1_000;
  return (
    agent.presence === 'available' &&
    !agent.absences.some((p) => within(p, now)) &&
    !agent.unavailability.some((p) => within(p, now)) &&
    hasSkills(agent.skills, item.requiredSkills) &&
    (relaxed || hasSkills(agent.skills, item.preferredSkills)) &&
    !sim.declinedBy.includes(agent.personId) &&
    effectiveCapacity(agent.capacity, agent.returnedFromAbsenceAt, now) - agent.load >= channelWeight(queue, item.channel)
  );
}

describe('routeCases properties (seeded random worlds)', () => {
  const WORLDS = 300;
  const STEPS = 25;

  it('never takes an agent beyond capacity, and leaves no case waiting while an eligible agent has room for it', () => {
    const random = mulberry32(20260302);
    let offersMade = 0;
    let waitedForCapacity = 0;
    for (let w = 0; w < WORLDS; w++) {
      const world = randomWorld(random, w);
      const byId = new Map(world.agents.map((a) => [a.personId, a]));
      const update = (personId: string, change: Partial<RoutingAgent>) => {
        const current = byId.get(personId);
        if (current) byId.set(personId, { ...current, ...change });
      };
      let caseCount = 0;
      for (let step = 0; step < STEPS; step++) {
        const nowMs = START + step * 10 * 60_000;
        const now = iso(nowMs);
        for (let n = Math.floor(random() * 4); n > 0; n--) {
          const skill = SKILLS[Math.floor(random() * SKILLS.length)] ?? 'motor';
          const item: WaitingCase = {
            caseId: `w${w}-c${caseCount++}`,
            queueId: 'q',
            priority: PRIORITIES[Math.floor(random() * 4)] ?? 'P3',
            receivedAt: iso(nowMs - Math.floor(random() * 3_600_000)),
            channel: CHANNELS[Math.floor(random() * CHANNELS.length)] ?? 'chat',
            requiredSkills: random() < 0.4 ? [{ name: skill, level: 1 + Math.floor(random() * 3) }] : [],
            preferredSkills: random() < 0.3 ? [{ name: 'german', level: 2 }] : [],
            declinedBy: [],
          };
          world.cases.push({ item, state: 'waiting', agentId: null, declinedBy: [] });
        }

        const waitingCases = world.cases.filter((c) => c.state === 'waiting');
        const agents = [...byId.values()];
        const plan = routeCases({ queue: world.queue, agents, cases: waitingCases.map((c) => ({ ...c.item, declinedBy: c.declinedBy })) }, now);

        for (const offer of plan.offers) {
          const sim = world.cases.find((c) => c.item.caseId === offer.caseId);
          const target = byId.get(offer.agentId);
          if (!sim || !target) throw new Error('an offer names an unknown case or agent');
          expect(sim.state).toBe('waiting');
          const load = target.load + channelWeight(world.queue, sim.item.channel);
          // (a) automatic routing never goes beyond the effective (ramped) capacity.
          expect(load).toBeLessThanOrEqual(effectiveCapacity(target.capacity, target.returnedFromAbsenceAt, now));
          update(offer.agentId, { load, activeCases: target.activeCases + 1, lastAssignedAt: now });
          sim.state = 'offered';
          sim.agentId = offer.agentId;
          offersMade++;
        }
        for (const overflow of plan.overflows) {
          const sim = world.cases.find((c) => c.item.caseId === overflow.caseId);
          if (sim) sim.state = 'gone';
        }
        // (b) after the run, no waiting case has an agent who is eligible for it and has room.
        for (const sim of world.cases.filter((c) => c.state === 'waiting')) {
          const room = [...byId.values()].filter((a) => eligibleWithSpare(a, sim, world.queue, now)).map((a) => a.personId);
          expect({ caseId: sim.item.caseId, room }).toEqual({ caseId: sim.item.caseId, room: [] });
          waitedForCapacity++;
        }

        // The agents answer: accept, decline or let the offer expire; some assigned cases are resolved.
        for (const sim of world.cases) {
          const holder = sim.agentId ? byId.get(sim.agentId) : undefined;
          if (!holder) continue;
          const roll = random();
          const release = () => {
            update(holder.personId, { load: holder.load - channelWeight(world.queue, sim.item.channel), activeCases: holder.activeCases - 1 });
            sim.agentId = null;
          };
          if (sim.state === 'offered' && roll < 0.6) sim.state = 'assigned';
          else if (sim.state === 'offered' && roll < 0.8) {
            sim.declinedBy.push(holder.personId);
            sim.state = 'waiting';
            release();
          } else if (sim.state === 'offered') {
            sim.state = 'waiting';
            release();
          } else if (sim.state === 'assigned' && roll < 0.3) {
            sim.state = 'gone';
            release();
          }
        }
        for (const a of [...byId.values()]) {
          expect(a.load).toBeLessThanOrEqual(a.capacity);
          if (random() < 0.1) update(a.personId, { presence: a.presence === 'available' ? 'away' : 'available' });
        }
      }
    }
    // The worlds exercise both sides: many offers, and many cases that had to wait.
    expect(offersMade).toBeGreaterThan(1_000);
    expect(waitedForCapacity).toBeGreaterThan(1_000);
  });
});
