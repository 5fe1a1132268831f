import { assertNever, type Decider } from '@leadership/kernel';
import { sameJson } from '../shared/canonical-json';
import { blank, PRIORITIES, sameSkills, validSkill, validStamp, type Skill } from '../shared/case-vocabulary';
import { ROUTING_MODES } from '../routing/routing-explanation';
import type { QueueAgent, QueueConfig } from './queue';
import type { ChangeQueue, DefineQueue, QueueCommand, RemoveQueueAgent, SetQueueAgent } from './queue.commands';
import {
  AgentCapacityInvalidError,
  AgentSkillInvalidError,
  ChannelWeightInvalidError,
  OverflowToItselfError,
  QueueAlreadyExistsError,
  QueueNameRequiredError,
  QueueNotFoundError,
  QueueRoutingInvalidError,
  QueueSlaInvalidError,
  QueueStampInvalidError,
  QueueUnitFixedError,
} from './queue.errors';
import type { QueueEvent } from './queue.events';

/** A defined queue: its configuration and agents (sorted by person id). */
export interface ExistingQueue {
  readonly status: 'defined';
  readonly queueId: string;
  readonly config: QueueConfig;
  readonly agents: readonly QueueAgent[];
  readonly definedAt: string;
  readonly changedAt: string;
}

/** State of a queue stream: `none` until the queue is defined. */
export type QueueState = { readonly status: 'none' } | ExistingQueue;

type Events = readonly QueueEvent[];

const wholeAtLeast = (value: number, min: number): boolean => Number.isInteger(value) && value >= min;

// ---------------------------------------------------------------------------------------------
// Guards.

function existing(state: QueueState, queueId: string): ExistingQueue {
  if (state.status === 'none') throw new QueueNotFoundError(queueId);
  return state;
}

function requireStamp(command: QueueCommand): void {
  if (!validStamp(command.data.stamp)) throw new QueueStampInvalidError(command.data.queueId);
}

/** Validates and normalises (trimmed names) a configuration. */
function validConfig(queueId: string, config: QueueConfig): QueueConfig {
  if (blank(config.unitId)) throw new QueueNameRequiredError(queueId, 'unitId');
  if (blank(config.name)) throw new QueueNameRequiredError(queueId, 'name');
  const { mode, pushTimeoutSeconds, skillRelaxationSeconds } = config.routing;
  if (!ROUTING_MODES.includes(mode)) throw new QueueRoutingInvalidError(queueId, `unknown routing mode "${String(mode)}"`);
  if (!wholeAtLeast(pushTimeoutSeconds, 1)) throw new QueueRoutingInvalidError(queueId, 'pushTimeoutSeconds must be a whole number ≥ 1');
  if (!wholeAtLeast(skillRelaxationSeconds, 0)) throw new QueueRoutingInvalidError(queueId, 'skillRelaxationSeconds must be a whole number ≥ 0');
  for (const priority of PRIORITIES) {
    const targets = config.sla[priority];
    const valid = targets !== undefined && wholeAtLeast(targets.firstResponseMinutes, 1) && wholeAtLeast(targets.resolutionMinutes, 1) && targets.firstResponseMinutes <= targets.resolutionMinutes;
    if (!valid) throw new QueueSlaInvalidError(queueId, priority);
  }
  for (const [channel, weight] of Object.entries(config.channelWeights)) {
    if (blank(channel) || !wholeAtLeast(weight, 1)) throw new ChannelWeightInvalidError(queueId, channel);
  }
  const overflowQueueId = blank(config.overflowQueueId) ? null : config.overflowQueueId;
  if (overflowQueueId === queueId) throw new OverflowToItselfError(queueId);
  return { ...config, unitId: config.unitId.trim(), name: config.name.trim(), overflowQueueId };
}

function validSkills(queueId: string, personId: string, skills: readonly Skill[]): readonly Skill[] {
  const names = skills.map((skill) => skill.name.trim());
  skills.forEach((skill, i) => {
    if (!validSkill(skill) || names.indexOf(names[i] ?? '') !== i) throw new AgentSkillInvalidError(queueId, personId, skill.name);
  });
  // Stored sorted by name: a set of skills has one form, so equal sets compare equal.
  return skills.map((skill) => ({ name: skill.name.trim(), level: skill.level })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// One function per command.

function define(command: DefineQueue, state: QueueState): Events {
  const { queueId, at, stamp } = command.data;
  const config = validConfig(queueId, command.data.config);
  if (state.status !== 'none') {
    if (sameJson(config, state.config)) return [];
    throw new QueueAlreadyExistsError(queueId);
  }
  requireStamp(command);
  return [{ type: 'QueueDefined', data: { queueId, actorId: stamp.actorId, at, stamp, config } }];
}

function change(command: ChangeQueue, state: QueueState): Events {
  const { queueId, at, stamp } = command.data;
  const queue = existing(state, queueId);
  const config = validConfig(queueId, command.data.config);
  if (config.unitId !== queue.config.unitId) throw new QueueUnitFixedError(queueId, queue.config.unitId, config.unitId);
  if (sameJson(config, queue.config)) return [];
  requireStamp(command);
  return [{ type: 'QueueChanged', data: { queueId, actorId: stamp.actorId, at, stamp, config } }];
}

function setAgent(command: SetQueueAgent, state: QueueState): Events {
  const { queueId, at, stamp, personId, capacity } = command.data;
  const queue = existing(state, queueId);
  if (!wholeAtLeast(capacity, 0)) throw new AgentCapacityInvalidError(queueId, personId, capacity);
  const skills = validSkills(queueId, personId, command.data.skills);
  const current = queue.agents.find((agent) => agent.personId === personId);
  if (current && current.capacity === capacity && sameSkills(current.skills, skills)) return [];
  requireStamp(command);
  return [{ type: 'QueueAgentSet', data: { queueId, actorId: stamp.actorId, at, stamp, personId, capacity, skills } }];
}

function removeAgent(command: RemoveQueueAgent, state: QueueState): Events {
  const { queueId, at, stamp, personId } = command.data;
  const queue = existing(state, queueId);
  if (!queue.agents.some((agent) => agent.personId === personId)) return [];
  requireStamp(command);
  return [{ type: 'QueueAgentRemoved', data: { queueId, actorId: stamp.actorId, at, stamp, personId } }];
}

export function evolveQueue(state: QueueState, event: QueueEvent): QueueState {
  const { queueId, at } = event.data;
  if (event.type === 'QueueDefined') return { status: 'defined', queueId, config: event.data.config, agents: [], definedAt: at, changedAt: at };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'QueueChanged':
      return { ...state, config: event.data.config, changedAt: at };
    case 'QueueAgentSet': {
      const { personId, capacity, skills } = event.data;
      const others = state.agents.filter((agent) => agent.personId !== personId);
      const agents = [...others, { personId, capacity, skills }].sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
      return { ...state, agents, changedAt: at };
    }
    case 'QueueAgentRemoved':
      return { ...state, agents: state.agents.filter((agent) => agent.personId !== event.data.personId), changedAt: at };
    default:
      return assertNever(event);
  }
}

/** The queue aggregate (stream `queue-<queueId>`, see `queueStreamName`). */
export const queueDecider: Decider<QueueCommand, QueueEvent, QueueState> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveQueue,
  decide(command, state) {
    switch (command.type) {
      case 'DefineQueue':
        return define(command, state);
      case 'ChangeQueue':
        return change(command, state);
      case 'SetQueueAgent':
        return setAgent(command, state);
      case 'RemoveQueueAgent':
        return removeAgent(command, state);
      default:
        return assertNever(command);
    }
  },
};
