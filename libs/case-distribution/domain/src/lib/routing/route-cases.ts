import { effectiveCapacity } from '../agent/ramp-up';
import { channelWeight } from '../queue/queue';
import { comparePriority, hasSkills } from '../shared/case-vocabulary';
import { millis, MS_PER_SECOND, plusMillis, within } from '../shared/instant';
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
  /** Not away, absent or unavailable at `now`: the reasons that do not depend on the case, checked once per run. */
  readonly open: boolean;
  load: number;
  activeCases: number;
  /** Epoch ms of the last assignment, 0 when never: parsed once per run, not once per comparison. */
  lastAssignedMs: number;
}

/** Reasons that hold whatever the load: an agent excluded for one of them cannot take the case at all now. */
const HARD: readonly ExclusionReason[] = ['not-available', 'absent', 'unavailable', 'missing-required-skill', 'declined'];

/** The reasons that do not depend on the case, in the order `exclusion` reports them. */
function closedBecause(agent: RoutingAgent, now: string): ExclusionReason | undefined {
  if (agent.presence !== 'available') return 'not-available';
  if (agent.absences.some((absence) => within(absence, now))) return 'absent';
  if (agent.unavailability.some((window) => within(window, now))) return 'unavailable';
  return undefined;
}

/** The case's hard reasons for an open agent (required skills, declined); none means they could take it once capacity allows. */
function hardForCase(agent: RoutingAgent, waiting: WaitingCase): ExclusionReason | undefined {
  if (!hasSkills(agent.skills, waiting.requiredSkills)) return 'missing-required-skill';
  if (waiting.declinedBy.includes(agent.personId)) return 'declined';
  return undefined;
}

function exclusion(running: Running, waiting: WaitingCase, relaxed: boolean, weight: number, now: string): ExclusionReason | undefined {
  const { agent } = running;
  if (!running.open) return closedBecause(agent, now);
  const hard = hardForCase(agent, waiting);
  if (hard) return hard;
  if (!relaxed && !hasSkills(agent.skills, waiting.preferredSkills)) return 'missing-preferred-skill';
  if (running.effectiveCapacity - running.load < weight) return 'no-spare-capacity';
  return undefined;
}

const spareShare = (running: Running): number => (running.effectiveCapacity > 0 ? (running.effectiveCapacity - running.load) / running.effectiveCapacity : 0);

function score(mode: RoutingMode, running: Running, nowMs: number): number {
  switch (mode) {
    case 'most-available':
      return spareShare(running);
    case 'least-active':
      return -running.activeCases;
    case 'round-robin':
      // Never assigned counts as assigned at the epoch: the longest wait of all.
      return (nowMs - running.lastAssignedMs) / MS_PER_SECOND;
  }
}

/** Negative when `a` should get the case before `b`. */
function compareCandidates(mode: RoutingMode, a: Running, b: Running, nowMs: number): number {
  const byScore = score(mode, b, nowMs) - score(mode, a, nowMs);
  if (byScore !== 0) return byScore;
  const byWait = a.lastAssignedMs - b.lastAssignedMs;
  if (byWait !== 0) return byWait;
  return a.agent.personId < b.agent.personId ? -1 : a.agent.personId > b.agent.personId ? 1 : 0;
}

/** A waiting case with its arrival parsed once (the sort compares it about log2(n) times). */
interface Queued {
  readonly item: WaitingCase;
  readonly receivedMs: number;
}

/** Most urgent first, then the oldest (original arrival), then the case id for a stable order. */
function byPriorityThenAge(a: Queued, b: Queued): number {
  const byPriority = comparePriority(a.item.priority, b.item.priority);
  if (byPriority !== 0) return byPriority;
  const byAge = a.receivedMs - b.receivedMs;
  if (byAge !== 0) return byAge;
  return a.item.caseId < b.item.caseId ? -1 : a.item.caseId > b.item.caseId ? 1 : 0;
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
  const nowMs = millis(now);
  const agents: Running[] = snapshot.agents.map((agent) => ({
    agent,
    effectiveCapacity: effectiveCapacity(agent.capacity, agent.returnedFromAbsenceAt, now),
    open: closedBecause(agent, now) === undefined,
    load: agent.load,
    activeCases: agent.activeCases,
    lastAssignedMs: agent.lastAssignedAt === null ? 0 : millis(agent.lastAssignedAt),
  }));
  /*
   * The most spare capacity any open agent has. Loads only grow within a run, so once a case
   * weighs more than this, nobody can be offered it: it is only checked for overflow, which
   * does not depend on load, without assessing every agent (a backlog of thousands waiting for a
   * full queue would otherwise cost cases × agents assessments per pass).
   */
  const mostSpare = (): number => agents.reduce((most, running) => (running.open ? Math.max(most, running.effectiveCapacity - running.load) : most), Number.NEGATIVE_INFINITY);
  let spare = mostSpare();
  const expiresAt = plusMillis(now, pushTimeoutSeconds * MS_PER_SECOND);
  const relaxationMs = skillRelaxationSeconds * MS_PER_SECOND;
  const offers: RoutingOffer[] = [];
  const overflows: RoutingOverflow[] = [];

  const waiting = snapshot.cases
    .filter((c) => c.queueId === queue.queueId)
    .map((item): Queued => ({ item, receivedMs: millis(item.receivedAt) }))
    .sort(byPriorityThenAge);
  for (const { item, receivedMs } of waiting) {
    const weight = channelWeight(queue, item.channel);
    if (spare < weight && agents.some((running) => running.open && running.agent.capacity >= weight && hardForCase(running.agent, item) === undefined)) continue;
    const relaxed = nowMs >= receivedMs + relaxationMs;
    const assessed = agents.map((running) => ({ running, reason: exclusion(running, item, relaxed, weight, now) }));
    let chosen: Running | undefined;
    for (const { running, reason } of assessed) if (reason === undefined && (!chosen || compareCandidates(mode, running, chosen, nowMs) < 0)) chosen = running;
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
      score: shown(score(mode, running, nowMs)),
    }));
    offers.push({ caseId: item.caseId, agentId: chosen.agent.personId, expiresAt, explanation: { mode, rule: ROUTING_RULES[mode], candidates } });
    chosen.load += weight;
    chosen.activeCases += 1;
    chosen.lastAssignedMs = nowMs;
    spare = mostSpare();
  }
  return { offers, overflows };
}
