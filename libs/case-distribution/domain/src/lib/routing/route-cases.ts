import { effectiveCapacity } from '../agent/ramp-up';
import { channelWeight } from '../queue/queue';
import { comparePriority, hasSkills } from '../shared/case-vocabulary';
import { earlier, millis, MS_PER_SECOND, plusMillis, within } from '../shared/instant';
import type { ExclusionReason, RoutingCandidate, RoutingMode } from './routing-explanation';
import type { RoutingAgent, RoutingOverflow, RoutingPlan, RoutingQueue, RoutingSnapshot, WaitingCase, RoutingOffer } from './routing-snapshot';

/** The rule of each mode, as the explanation states it. */
export const ROUTING_RULES: Readonly<Record<RoutingMode, string>> = {
  'most-available':
    'most-available: the highest share of spare capacity (spare / effective capacity, so agents of every capacity fill evenly), then the longest since the last assignment, then person id',
  'least-active': 'least-active: the fewest active cases, then the longest since the last assignment, then person id',
  'round-robin': 'round-robin: the longest since the last assignment (never assigned first), then person id',
};

/** What changes for an agent within one routing run: two offers of one plan never overfill anyone. */
interface Running {
  readonly agent: RoutingAgent;
  readonly effectiveCapacity: number;
  load: number;
  activeCases: number;
  lastAssignedAt: string | null;
}

/** Reasons that hold whatever the load: an agent excluded for one of them cannot take the case at all now. */
const HARD: readonly ExclusionReason[] = ['not-available', 'absent', 'unavailable', 'missing-required-skill', 'declined'];

function exclusion(running: Running, waiting: WaitingCase, relaxed: boolean, weight: number, now: string): ExclusionReason | undefined {
  const { agent } = running;
  if (agent.presence !== 'available') return 'not-available';
  if (agent.absences.some((absence) => within(absence, now))) return 'absent';
  if (agent.unavailability.some((window) => within(window, now))) return 'unavailable';
  if (!hasSkills(agent.skills, waiting.requiredSkills)) return 'missing-required-skill';
  if (waiting.declinedBy.includes(agent.personId)) return 'declined';
  if (!relaxed && !hasSkills(agent.skills, waiting.preferredSkills)) return 'missing-preferred-skill';
  if (running.effectiveCapacity - running.load < weight) return 'no-spare-capacity';
  return undefined;
}

/** Never assigned counts as assigned at the epoch: the longest wait of all. */
const lastAssignedMillis = (running: Running): number => (running.lastAssignedAt === null ? 0 : millis(running.lastAssignedAt));

const spareShare = (running: Running): number => (running.effectiveCapacity > 0 ? (running.effectiveCapacity - running.load) / running.effectiveCapacity : 0);

function score(mode: RoutingMode, running: Running, now: string): number {
  switch (mode) {
    case 'most-available':
      return spareShare(running);
    case 'least-active':
      return -running.activeCases;
    case 'round-robin':
      return (millis(now) - lastAssignedMillis(running)) / MS_PER_SECOND;
  }
}

/** Negative when `a` should get the case before `b`. */
function compareCandidates(mode: RoutingMode, a: Running, b: Running, now: string): number {
  const byScore = score(mode, b, now) - score(mode, a, now);
  if (byScore !== 0) return byScore;
  const byWait = lastAssignedMillis(a) - lastAssignedMillis(b);
  if (byWait !== 0) return byWait;
  return a.agent.personId < b.agent.personId ? -1 : a.agent.personId > b.agent.personId ? 1 : 0;
}

/** Most urgent first, then the oldest (original arrival), then the case id for a stable order. */
function byPriorityThenAge(a: WaitingCase, b: WaitingCase): number {
  const byPriority = comparePriority(a.priority, b.priority);
  if (byPriority !== 0) return byPriority;
  const byAge = millis(a.receivedAt) - millis(b.receivedAt);
  if (byAge !== 0) return byAge;
  return a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0;
}

/** Scores shown in explanations: four decimals are enough to read, the ranking used the exact values. */
const shown = (value: number): number => Math.round(value * 10_000) / 10_000;

function overflowOf(queue: RoutingQueue, waiting: WaitingCase, assessed: readonly { running: Running; reason: ExclusionReason | undefined }[], weight: number): RoutingOverflow | undefined {
  const couldTakeIt = assessed.some(({ running, reason }) => (reason === undefined || !HARD.includes(reason)) && running.agent.capacity >= weight);
  // Someone could take it once capacity frees: the case waits in its queue (the backlog is picked up later).
  if (couldTakeIt) return undefined;
  const visited = waiting.visitedQueueIds ?? [waiting.queueId];
  const next = queue.overflowQueueId;
  const to = next !== null && !visited.includes(next) ? { queueId: next } : ({ formalManager: true } as const);
  if ('formalManager' in to && waiting.escalatedToFormalManager) return undefined;
  const counts = new Map<string, number>();
  for (const { reason, running } of assessed) {
    const key = reason !== undefined && HARD.includes(reason) ? reason : 'capacity-below-weight';
    if (reason !== undefined || running.agent.capacity < weight) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const because = assessed.length === 0 ? 'it has no agents' : [...counts].map(([reason, count]) => `${reason}: ${count}`).join(', ');
  return { caseId: waiting.caseId, to, why: `no agent of queue ${queue.queueId} can take it now (${because})` };
}

/**
 * Routes a queue's waiting cases at `now`: pure and deterministic (the same snapshot and instant
 * give the same plan). Cases go most urgent and oldest first, each to the best eligible agent of
 * the queue's mode; loads grow within the run, so a plan never takes anyone beyond their
 * effective capacity. A case nobody could take whatever their load overflows; a case that only
 * waits for capacity stays queued.
 */
export function routeCases(snapshot: RoutingSnapshot, now: string): RoutingPlan {
  const { queue } = snapshot;
  const { mode, pushTimeoutSeconds, skillRelaxationSeconds } = queue.routing;
  const agents: Running[] = snapshot.agents.map((agent) => ({
    agent,
    effectiveCapacity: effectiveCapacity(agent.capacity, agent.returnedFromAbsenceAt, now),
    load: agent.load,
    activeCases: agent.activeCases,
    lastAssignedAt: agent.lastAssignedAt,
  }));
  const expiresAt = plusMillis(now, pushTimeoutSeconds * MS_PER_SECOND);
  const offers: RoutingOffer[] = [];
  const overflows: RoutingOverflow[] = [];

  const waiting = snapshot.cases.filter((c) => c.queueId === queue.queueId).sort(byPriorityThenAge);
  for (const item of waiting) {
    const weight = channelWeight(queue, item.channel);
    const relaxed = !earlier(now, plusMillis(item.receivedAt, skillRelaxationSeconds * MS_PER_SECOND));
    const assessed = agents.map((running) => ({ running, reason: exclusion(running, item, relaxed, weight, now) }));
    const eligible = assessed.filter(({ reason }) => reason === undefined).map(({ running }) => running);
    const [chosen] = eligible.sort((a, b) => compareCandidates(mode, a, b, now));
    if (!chosen) {
      const overflow = overflowOf(queue, item, assessed, weight);
      if (overflow) overflows.push(overflow);
      continue;
    }
    const candidates: RoutingCandidate[] = assessed.map(({ running, reason }) => ({
      agentId: running.agent.personId,
      eligible: reason === undefined,
      ...(reason === undefined ? {} : { excludedBecause: reason }),
      spareCapacity: running.effectiveCapacity - running.load,
      score: shown(score(mode, running, now)),
    }));
    offers.push({ caseId: item.caseId, agentId: chosen.agent.personId, expiresAt, explanation: { mode, rule: ROUTING_RULES[mode], candidates } });
    chosen.load += weight;
    chosen.activeCases += 1;
    chosen.lastAssignedAt = now;
  }
  return { offers, overflows };
}
