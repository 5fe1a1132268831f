/*
 * Seeded random worlds for brute-force specs: a unit tree with managers, and mandate histories
 * produced by running random commands through the real decider (refused commands are dropped, so
 * every history is one the system could really have recorded).
 */
import { DomainRuleError } from '@leadership/kernel';
import { addDays, fromMillis, toMillis } from '../lib/shared/instant';
import type { AuthorityUnit } from '../lib/authority/authority';
import type { MandateCommand } from '../lib/mandate/mandate.commands';
import { mandateDecider } from '../lib/mandate/mandate.decider';
import type { MandateEvent } from '../lib/mandate/mandate.events';
import type { MandateState } from '../lib/mandate/mandate.state';
import { caseDistribution, propose } from './mandate.fixtures';
import { mulberry32 } from '@leadership/kernel/testing';

/** Same seed, same world (mulberry32 underneath), with the helpers the generators use. */
export function seededRandom(seed: number) {
  const next = mulberry32(seed);
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  };
  const subset = <T>(items: readonly T[]): T[] => items.filter(() => next() < 0.5);
  return { next, int, pick, subset };
}
export type Random = ReturnType<typeof seededRandom>;

export const WORLD_START = '2025-01-01T00:00:00.000Z';
export const WORLD_END = '2025-04-01T00:00:00.000Z';
export const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
export const QUEUES = ['q1', 'q2'];
const DELEGATES = PEOPLE.slice(0, 3);

export interface RandomWorld {
  readonly units: readonly AuthorityUnit[];
  /** All mandate events, each stream in order, streams interleaved by time. */
  readonly events: readonly MandateEvent[];
}

export function randomUnits(random: Random): AuthorityUnit[] {
  const units: AuthorityUnit[] = [];
  // Few units and few delegates: overlapping mandates (several granting at once) must be common.
  const count = 1 + random.int(3);
  for (let i = 0; i < count; i += 1) {
    units.push({
      id: `u${i}`,
      parentId: i === 0 ? null : `u${random.int(i)}`,
      managerIds: random.subset(PEOPLE).slice(0, random.int(3)),
    });
  }
  return units;
}

function randomInstant(random: Random, from = WORLD_START, to = WORLD_END): string {
  return fromMillis(toMillis(from) + random.int(toMillis(to) - toMillis(from)));
}

function randomCommand(random: Random, mandateId: string, delegateId: string, delegatorId: string, at: string): MandateCommand {
  const base = { mandateId, at };
  const manager = { actorManagesUnit: true };
  const authorities = random.subset(caseDistribution.grantableAuthorities);
  switch (random.int(11)) {
    case 0:
      return { type: 'AcceptMandate', data: { ...base, actorId: delegateId } };
    case 1:
      return { type: 'DeclineMandate', data: { ...base, actorId: delegateId, reason: 'no' } };
    case 2:
      return { type: 'ActivateMandate', data: { ...base, actorId: 'system:scheduler' } };
    case 3:
      return {
        type: 'AmendMandate',
        data: { ...base, actorId: delegatorId, changes: { authorities }, context: { ...manager, taskType: caseDistribution } },
      };
    case 4:
      return { type: 'SuspendMandate', data: { ...base, actorId: delegatorId, reason: 'pause', context: manager } };
    case 5:
      return { type: 'ResumeMandate', data: { ...base, actorId: delegatorId, context: manager } };
    case 6:
      return { type: 'RevokeMandate', data: { ...base, actorId: delegatorId, reason: 'enough', context: manager } };
    case 7:
      return { type: 'RelinquishMandate', data: { ...base, actorId: delegateId, reason: 'enough' } };
    case 8:
      return { type: 'ExpireMandate', data: { ...base, actorId: 'system:scheduler' } };
    case 9:
      return {
        type: 'ExtendMandate',
        data: { ...base, actorId: delegatorId, newUntil: addDays(at, 1 + random.int(40)), context: { ...manager, taskType: caseDistribution } },
      };
    default:
      return { type: 'AcceptMandate', data: { ...base, actorId: delegateId } };
  }
}

/** One mandate's history: a proposal, then random commands at increasing times. */
function randomHistory(random: Random, mandateId: string, units: readonly AuthorityUnit[]): MandateEvent[] {
  const delegatorId = random.pick(PEOPLE);
  const delegateId = random.pick(DELEGATES.filter((person) => person !== delegatorId));
  const unit = random.pick(units);
  const proposedAt = randomInstant(random, WORLD_START, addDays(WORLD_START, 40));
  const from = randomInstant(random, proposedAt, addDays(proposedAt, 20));
  const until = randomInstant(random, addDays(from, 1), addDays(from, 40));
  const useQueue = random.next() < 0.4;
  const proposal = propose(
    {
      mandateId,
      actorId: delegatorId,
      delegatorId,
      delegateId,
      at: proposedAt,
      scope: useQueue ? { unitId: unit.id, queueId: random.pick(QUEUES) } : { unitId: unit.id },
      authorities: [random.pick(caseDistribution.grantableAuthorities), ...random.subset(caseDistribution.grantableAuthorities)],
      period: { from, until },
    },
    { taskType: caseDistribution },
  );
  let state: MandateState = mandateDecider.initialState();
  const events: MandateEvent[] = [];
  const apply = (command: MandateCommand): void => {
    try {
      const produced = mandateDecider.decide(command, state);
      produced.forEach((event) => {
        events.push(event);
        state = mandateDecider.evolve(state, event);
      });
    } catch (error) {
      if (!(error instanceof DomainRuleError)) throw error;
    }
  };
  apply(proposal);
  let at = proposedAt;
  for (let step = 0, steps = random.int(12); step < steps; step += 1) {
    // Sometimes two commands at the same instant: ordering must then come from the stream alone.
    at = random.next() < 0.1 ? at : fromMillis(toMillis(at) + 1 + random.int(6 * 86_400_000));
    // Like the scheduler, try activation no earlier than the start of the period.
    if (step === 1 && toMillis(at) < toMillis(from)) at = from;
    // Bias towards the commands that make a mandate live, so that most worlds grant something.
    const command =
      step < 2 && random.next() < 0.7
        ? ({ type: step === 0 ? 'AcceptMandate' : 'ActivateMandate', data: { mandateId, at, actorId: step === 0 ? delegateId : 'system:scheduler' } } as MandateCommand)
        : randomCommand(random, mandateId, delegateId, delegatorId, at);
    apply(command);
  }
  return events;
}

/** Interleaves streams by time; a stable sort keeps each stream's own order for equal instants. */
export function interleave(histories: readonly (readonly MandateEvent[])[]): MandateEvent[] {
  return histories
    .flat()
    .map((event, index) => ({ event, index }))
    .sort((a, b) => toMillis(a.event.data.at) - toMillis(b.event.data.at) || a.index - b.index)
    .map(({ event }) => event);
}

export function randomWorld(seed: number): RandomWorld {
  const random = seededRandom(seed);
  const units = randomUnits(random);
  const histories = Array.from({ length: 3 + random.int(8) }, (_, i) => randomHistory(random, `m${i}`, units));
  return { units, events: interleave(histories) };
}

export function randomQueryInstant(random: Random): string {
  return randomInstant(random);
}
