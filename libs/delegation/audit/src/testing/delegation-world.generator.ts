/*
 * Seeded, realistic delegation histories for the audit specs and the replay benchmark: a
 * catalogue, a unit tree with managers and members (with changes over time), and mandate streams
 * produced by running commands through the real deciders. Commands the deciders refuse are
 * dropped, so every stream is one the service could really have written.
 */
import { addDays, DEFAULT_TASK_TYPES, fromMillis, mandateDecider, mandateStreamName, personDecider, personStreamName, taskTypeDecider, taskTypeStreamName, toMillis, unitDecider, unitStreamName, type MandateCommand, type MandateEvent, type MandateState, type PersonRecord, type TaskTypeDefinition, type Unit } from '@leadership/delegation-domain';
import { DomainRuleError, type Decider } from '@leadership/kernel';

/** A domain event as the deciders emit it; every one carries its domain time in `data.at`. */
export interface WorldEvent {
  readonly type: string;
  readonly data: { readonly at: string };
}

export interface WorldStream {
  readonly streamName: string;
  readonly events: readonly WorldEvent[];
}

export interface WorldOptions {
  readonly seed: number;
  /** Instant the directory and catalogue are registered at; mandates start after it. */
  readonly start: string;
  readonly units: number;
  readonly peoplePerUnit: number;
  /** Mean time between two consecutive mandate proposals, in hours. */
  readonly proposalSpacingHours: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** xorshift32: tiny and fast; the same seed gives the same world on every machine. */
export function seededRandom(seed: number) {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const below = (max: number): number => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[below(items.length)] as T;
  };
  return { next, below, pick };
}
export type Random = ReturnType<typeof seededRandom>;

const unitId = (index: number): string => `u-${index}`;
const managerId = (unit: number): string => `mgr-${unit}`;
const memberId = (unit: number, index: number): string => `p-${unit}-${index}`;

function runDecider<Command, Event, State>(decider: Decider<Command, Event, State>, commands: readonly Command[]): Event[] {
  let state = decider.initialState();
  const events: Event[] = [];
  for (const command of commands) {
    try {
      for (const event of decider.decide(command, state)) {
        events.push(event);
        state = decider.evolve(state, event);
      }
    } catch (error) {
      if (!(error instanceof DomainRuleError)) throw error;
    }
  }
  return events;
}

/**
 * Catalogue, units and people, registered at `start`; a third of the units change their managers
 * after 60 days and some people move unit after 90 days, so the directory differs by instant.
 */
export function directoryStreams(options: WorldOptions): WorldStream[] {
  const random = seededRandom(options.seed ^ 0x5bd1e995);
  const actorId = 'system:hr-import';
  const streams: WorldStream[] = DEFAULT_TASK_TYPES.map((definition) => ({
    streamName: taskTypeStreamName(definition.key),
    events: runDecider(taskTypeDecider, [{ type: 'DefineTaskType', data: { definition, actorId: 'admin-1', at: options.start } }]),
  }));
  const later = (days: number): string => addDays(options.start, days);
  for (let u = 0; u < options.units; u++) {
    const unit: Unit = { id: unitId(u), name: `Unit ${u}`, parentId: u === 0 ? null : unitId(random.below(u)), managerIds: [managerId(u)] };
    const commands = [{ type: 'UpsertUnit' as const, data: { unit, actorId, at: options.start } }];
    if (u % 3 === 1) {
      const managerIds = [managerId(u), memberId(u, 0)];
      commands.push({ type: 'UpsertUnit', data: { unit: { ...unit, managerIds }, actorId, at: later(60) } });
    }
    streams.push({ streamName: unitStreamName(unit.id), events: runDecider(unitDecider, commands) });
  }
  for (let u = 0; u < options.units; u++) {
    const people: PersonRecord[] = [managerId(u), ...Array.from({ length: options.peoplePerUnit }, (_, i) => memberId(u, i))].map((id) => ({
      id,
      displayName: `Person ${id}`,
      email: `${id}@example.org`,
      locale: random.next() < 0.5 ? 'de-CH' : 'en-GB',
      unitIds: [unitId(u)],
    }));
    for (const person of people) {
      const commands = [{ type: 'UpsertPerson' as const, data: { person, actorId, at: options.start } }];
      if (random.next() < 0.1) {
        const moved = { ...person, unitIds: [unitId(random.below(options.units))] };
        commands.push({ type: 'UpsertPerson', data: { person: moved, actorId, at: later(90) } });
      }
      streams.push({ streamName: personStreamName(person.id), events: runDecider(personDecider, commands) });
    }
  }
  return streams;
}

function authoritiesOf(random: Random, taskType: TaskTypeDefinition): string[] {
  const chosen = taskType.grantableAuthorities.filter(() => random.next() < 0.6);
  return chosen.length > 0 ? chosen : [random.pick(taskType.grantableAuthorities)];
}

/**
 * The commands of one mandate's life: proposal, consent (or a decline), activation at `from`,
 * then check-ins, amendments, expansions, suspensions and extensions at increasing times, and an
 * end (revocation, relinquishment, completion or expiry).
 */
function mandateCommands(random: Random, index: number, options: WorldOptions): MandateCommand[] {
  const u = random.below(options.units);
  const delegatorId = managerId(u);
  const delegateId = memberId(u, random.below(options.peoplePerUnit));
  const taskType = random.pick(DEFAULT_TASK_TYPES);
  const mandateId = `m-${index.toString(36)}-${Math.floor(random.next() * 1e9).toString(36)}`;
  const manager = { actorManagesUnit: true };
  let at = toMillis(options.start) + DAY + (index + random.next()) * options.proposalSpacingHours * HOUR;
  const iso = (): string => fromMillis(at);
  const from = at + random.below(7 * DAY);
  const periodDays = 14 + random.below(Math.min(taskType.maxPeriodDays, 180) - 14);
  const until = from + periodDays * DAY;
  const scope =
    taskType.requiredScope === 'project'
      ? { unitId: unitId(u), projectId: `proj-${random.below(3)}` }
      : random.next() < 0.3
        ? { unitId: unitId(u), queueId: `q-${random.below(2)}` }
        : { unitId: unitId(u) };
  const commands: MandateCommand[] = [
    {
      type: 'ProposeMandate',
      data: {
        mandateId,
        actorId: delegatorId,
        at: iso(),
        delegatorId,
        delegateId,
        taskType: taskType.key,
        scope,
        direction: { purpose: `Run ${taskType.title.toLowerCase()} for unit ${u}`, successCriteria: ['backlog under control', 'no escalations missed'] },
        framework: {
          rules: [
            { id: 'r1', text: 'stay within the unit budget', mode: 'enforce' },
            { id: 'r2', text: 'consult the team before changing priorities', mode: 'warn' },
          ],
          reservedDecisions: ['hiring', 'budget over 5k'],
          escalationContactId: delegatorId,
        },
        authorities: authoritiesOf(random, taskType),
        period: { from: fromMillis(from), until: fromMillis(until) },
        reviewCadenceDays: 7 + random.below(60),
        ...(random.next() < 0.3 ? { deputyId: memberId(u, random.below(options.peoplePerUnit)) } : {}),
        context: { delegatorManagesUnit: true, delegateIsMemberOfUnit: true, taskType },
      },
    },
  ];
  at += HOUR + random.below(2 * DAY);
  if (random.next() < 0.05) {
    commands.push({ type: 'DeclineMandate', data: { mandateId, actorId: delegateId, at: iso(), reason: 'no capacity this quarter' } });
    return commands;
  }
  commands.push({ type: 'AcceptMandate', data: { mandateId, actorId: delegateId, at: iso() } });
  at = Math.max(at, from);
  commands.push({ type: 'ActivateMandate', data: { mandateId, actorId: 'system:scheduler', at: iso() } });
  let latestUntil = until;
  const end = random.next();
  const endAt = end < 0.4 ? until : at + random.next() * (until - at);
  for (at += DAY + random.below(14 * DAY); at < endAt; at += DAY + random.below(14 * DAY)) {
    const roll = random.next();
    if (roll < 0.55) commands.push({ type: 'RecordCheckIn', data: { mandateId, actorId: delegateId, at: iso(), note: 'weekly review' } });
    else if (roll < 0.65) {
      const changes = { authorities: authoritiesOf(random, taskType) };
      commands.push({ type: 'AmendMandate', data: { mandateId, actorId: delegatorId, at: iso(), changes, context: { ...manager, taskType } } });
      if (random.next() < 0.5) {
        at += HOUR;
        commands.push({ type: 'AcceptMandate', data: { mandateId, actorId: delegateId, at: iso() } });
      }
    } else if (roll < 0.75) {
      commands.push({ type: 'SuspendMandate', data: { mandateId, actorId: delegatorId, at: iso(), reason: 'under review', context: manager } });
      at += HOUR + random.below(5 * DAY);
      commands.push({ type: 'ResumeMandate', data: { mandateId, actorId: delegatorId, at: iso(), context: manager } });
    } else if (roll < 0.8) {
      const newUntil = fromMillis(latestUntil + (1 + random.below(20)) * DAY);
      // Optimistic: if the decider refuses the extension, expiring later than needed is still valid.
      latestUntil = toMillis(newUntil);
      commands.push({ type: 'ExtendMandate', data: { mandateId, actorId: delegatorId, at: iso(), newUntil, context: { ...manager, taskType } } });
    } else if (roll < 0.83) {
      commands.push({ type: 'FlagMandateForReconfirmation', data: { mandateId, actorId: 'system:scheduler', at: iso(), reason: 'delegator-no-longer-manages' } });
      at += HOUR;
      commands.push({ type: 'ConfirmMandate', data: { mandateId, actorId: delegatorId, at: iso(), context: manager } });
    } else {
      commands.push({ type: 'RecordCheckIn', data: { mandateId, actorId: delegatorId, at: iso(), note: 'ad-hoc check-in' } });
    }
  }
  at = Math.max(at, endAt);
  if (end < 0.4) commands.push({ type: 'ExpireMandate', data: { mandateId, actorId: 'system:scheduler', at: fromMillis(Math.max(at, latestUntil)) } });
  else if (end < 0.65) commands.push({ type: 'RevokeMandate', data: { mandateId, actorId: delegatorId, at: iso(), reason: 'reorganisation', context: manager } });
  else if (end < 0.85) commands.push({ type: 'RelinquishMandate', data: { mandateId, actorId: delegateId, at: iso(), reason: 'moving to another team' } });
  else if (end < 0.95) commands.push({ type: 'CompleteMandate', data: { mandateId, actorId: delegatorId, at: iso(), note: 'goal reached', context: manager } });
  // else: still running when the history ends.
  return commands;
}

/**
 * Mandate streams one by one (lazily: a million events need not sit in memory at once). Mandate
 * `index` is proposed about `index * proposalSpacingHours` after the start.
 */
export function* mandateStreams(options: WorldOptions, count: number, firstIndex = 0): Generator<WorldStream> {
  const random = seededRandom(options.seed + firstIndex);
  for (let index = firstIndex; index < firstIndex + count; index++) {
    const events: MandateEvent[] = runDecider(mandateDecider, mandateCommands(random, index, options));
    const first = events[0];
    if (first === undefined) continue;
    yield { streamName: mandateStreamName(first.data.mandateId), events };
  }
}

/**
 * All events of the given streams as one log ordered by domain time, each stream keeping its own
 * order (a stable sort; within a stream times never decrease): the order in which a live system
 * would have appended them.
 */
export function interleaveByTime(streams: readonly WorldStream[]): { readonly streamName: string; readonly event: WorldEvent }[] {
  return streams
    .flatMap((stream) => stream.events.map((event) => ({ streamName: stream.streamName, event, time: toMillis(event.data.at) })))
    .sort((a, b) => a.time - b.time)
    .map(({ streamName, event }) => ({ streamName, event }));
}

/** State of a mandate by brute force: the stream's events with `at <= asOf`, folded from the start. */
export function foldMandateNaively(events: readonly WorldEvent[], asOf: string): MandateState {
  return events
    .filter((event) => toMillis(event.data.at) <= toMillis(asOf))
    .reduce((state, event) => mandateDecider.evolve(state, event as MandateEvent), mandateDecider.initialState());
}
