import { Inject } from '@nestjs/common';
import { ProblemException, problems, ROLES, type Actor } from '@leadership/platform-nest';
import type { RecordedEvent, ReadOnlyEventStore } from '@leadership/event-store';
import type { ProjectorStatus } from '@leadership/projection';
import { mandateStreamName, type AuthorityExplanation, type AuthorityQuery, type LeadershipMap, type MandateState, type Person, type Unit } from '@leadership/delegation-domain';
import type { Versioned } from '@leadership/delegation-application';
import type { FrameworkCheckDescription } from '@leadership/delegation-contracts';
import type { DelegationParts, DirectoryHandlers, MandateHandlers, TaskTypeHandlers } from '../delegation-parts';
import { answerOf, type AuthorityAnswer, type MandateListQuery, type MandateVersion } from '../read-model/delegation-queries';

/*
 * Narrow ports, one per controller: each controller is given exactly what it uses, never the
 * whole of the context's parts (no controller can reach raw collections or the store by
 * accident). Read-your-writes is the port's job: queries catch the projector up first.
 */

/** The mandates API: the command handlers, and the facts and list it authorises and answers with. */
export interface MandatesPort {
  readonly commands: Omit<MandateHandlers, 'activate' | 'expire' | 'flagForReconfirmation'>;
  /** The mandate's current state and version, from its stream (never stale). */
  mandate(mandateId: string): Promise<Versioned<MandateState>>;
  managesUnit(personId: string, unitId: string): Promise<boolean>;
  list(query: MandateListQuery): ReturnType<DelegationParts['queries']['list']>;
}

/** The directory API: its handlers, and units and people from their streams. */
export interface DirectoryPort {
  readonly commands: DirectoryHandlers;
  unit(unitId: string): Promise<Unit | undefined>;
  person(personId: string): Promise<Person | undefined>;
  /** The person and their version (stream revision), for answers that carry an ETag. */
  versionedPerson(personId: string): Promise<Versioned<Person> | undefined>;
  /**
   * The person whose absence periods the actor reads or writes, if they may. Writers: the person
   * themself, formal managers of a unit they belong to (or of a unit above it), the HR feed
   * (`directory-sync`) and `admin`; readers also `system` callers (other services' backends) and
   * `compliance`. Anyone else gets 403 — also for a person who does not exist, so that the answer
   * does not tell who does; those allowed by role get 404 for them.
   */
  personForAbsences(actor: Actor, personId: string, access: 'read' | 'write'): Promise<Versioned<Person>>;
}

/** The task-type catalogue, and the framework-check kinds mandates' rules may use. */
export type TaskTypesPort = TaskTypeHandlers & { frameworkChecks(): FrameworkCheckDescription[] };

/** An authority question; `at` defaults to now. */
export type QuestionAt = Omit<AuthorityQuery, 'at'> & { readonly at?: string };

/** Authority answers and the leadership map, as of `at` (default: now). */
export interface LeadershipPort {
  /**
   * Who may ask about a person's authority in a unit (`/authority/check`, `/authority/why`): the
   * person themself; formal managers of the unit or a unit above it; holders of a coordination
   * mandate in force there (`tasks.view-all`); callers with the `compliance`, `system` or `admin`
   * role. Anyone else gets 403: the answers name mandates, their holders and why they do not apply.
   */
  assertMayAsk(actor: Actor, question: { readonly personId: string; readonly unitId: string }): Promise<void>;
  /** Who may see a unit and its leadership map: its members, and everyone `assertMayAsk` lets ask about it. */
  assertMayViewUnit(actor: Actor, unitId: string): Promise<void>;
  check(query: QuestionAt): Promise<AuthorityAnswer>;
  why(query: QuestionAt): Promise<AuthorityExplanation>;
  leadershipMap(unitId: string, at?: string): Promise<{ at: string; map: LeadershipMap | undefined }>;
}

/** Compliance: a mandate's raw events, states as of T, and the store for verify and export. */
export interface AuditPort {
  mandateEvents(mandateId: string): Promise<RecordedEvent[]>;
  /** One page of the mandates (of one unit, or all) as they stood at `at`, in id order after `after`; `next` is null after the last page. */
  mandateVersionsAsOf(query: { readonly unitId?: string; readonly at: string; readonly after?: string; readonly limit: number }): Promise<{ versions: MandateVersion[]; next: string | null }>;
  /** The event store, read-only, for the audit library's verify and export. */
  readonly store: ReadOnlyEventStore;
}

export const MANDATES_PORT = Symbol('MandatesPort');
export const DIRECTORY_PORT = Symbol('DirectoryPort');
export const TASK_TYPES_PORT = Symbol('TaskTypesPort');
export const LEADERSHIP_PORT = Symbol('LeadershipPort');
export const AUDIT_PORT = Symbol('AuditPort');

export const InjectMandates = () => Inject(MANDATES_PORT);
export const InjectDirectory = () => Inject(DIRECTORY_PORT);
export const InjectTaskTypes = () => Inject(TASK_TYPES_PORT);
export const InjectLeadership = () => Inject(LEADERSHIP_PORT);
export const InjectAudit = () => Inject(AUDIT_PORT);

/**
 * How far behind the event store a read-model answer may be. An answer that grants authority is
 * never staler than this (brief: freshness rule); past it the service refuses with 503 and
 * Retry-After instead of answering from a projection that may not have seen a revocation.
 */
export const DEFAULT_FRESHNESS_BOUND_MS = 1000;

type CommandHandlers = Record<string, { execute(...args: never[]): Promise<unknown> }>;

/** The same handlers, each admitted by `admit` before it runs (the instances' other members are kept). */
function admittedBy<T extends CommandHandlers>(handlers: T, admit: () => Promise<void>): T {
  const wrapped = Object.entries(handlers).map(([name, handler]) => {
    const gate = Object.create(handler) as typeof handler;
    gate.execute = async (...args: never[]) => {
      await admit();
      return handler.execute(...args);
    };
    return [name, gate] as const;
  });
  return Object.fromEntries(wrapped) as T;
}

/** The ports over the context's parts (the composition root provides each under its token). */
export function delegationHttpPorts(
  parts: DelegationParts,
  options: { readonly freshnessBoundMs?: number } = {},
): {
  mandates: MandatesPort;
  directory: DirectoryPort;
  taskTypes: TaskTypesPort;
  leadership: LeadershipPort;
  audit: AuditPort;
} {
  const { facts, queries, projector, store, now } = parts;
  const { activate: _activate, expire: _expire, flagForReconfirmation: _flag, ...commands } = parts.mandates;
  const bound = options.freshnessBoundMs ?? DEFAULT_FRESHNESS_BOUND_MS;
  // Read-your-writes and freshness: answer only once the read model applied everything committed
  // before the question; when it cannot within the bound (a database outage, a backlog), refuse.
  // 503 + Retry-After naming the projector's lag, and what waits for it.
  const behind = async (what: (status: ProjectorStatus) => string): Promise<never> => {
    const status = await projector.status();
    throw new ProblemException(problems.unavailable(`The read model is ${status.lagEvents} events (${status.lagMs} ms) behind the event store${what(status)}`), { 'Retry-After': '1' });
  };
  const fresh = async <T>(read: () => Promise<T>): Promise<T> => {
    if (!(await projector.catchUp(bound))) {
      await behind((status) => `, more than the ${bound} ms this service answers from (projector ${status.state}); retry shortly. GET /health shows the projector.`);
    }
    return read();
  };
  // Admission: mandate commands are taken at the pace the read model follows. While the projector
  // runs but is more than half the bound behind (a burst beyond what it applies: the
  // mandate-commands load, a storm of amendments), a command first waits up to the bound for it to
  // catch up, and is refused with 503 + Retry-After if it cannot; so authority answers, denial
  // reasons and the scheduler stay within the freshness bound under any load, instead of every
  // read refusing while the backlog grows. During a read-model outage (projector retrying) commands
  // are still taken: the local event store keeps them, and reads refuse until the model has them.
  const admit = async (): Promise<void> => {
    const status = await projector.status();
    if (status.state !== 'running' || status.lagMs <= bound / 2) return;
    if (await projector.catchUp(bound)) return;
    await behind(() => `: commands wait until it is within ${bound} ms, so that authority answers stay fresh; retry shortly.`);
  };
  // Authority now is answered from the units and mandates in memory, caught up from the local
  // event store before each answer (read-your-writes in milliseconds, whatever the read model's
  // lag or health); a question about an earlier time than the versions now in force goes to the
  // read model, which keeps the versions, under the freshness rule.
  const authorityAt = async <T>(
    query: QuestionAt,
    current: (question: AuthorityQuery) => Promise<T | undefined>,
    stored: (question: AuthorityQuery) => Promise<T>,
  ): Promise<T> => {
    const question = { ...query, at: query.at ?? now().toISOString() };
    return (await current(question)) ?? (await fresh(() => stored(question)));
  };
  const check = (query: QuestionAt): Promise<AuthorityAnswer> =>
    authorityAt(query, async (question) => answerOf(await parts.authority.check(question)), (question) => queries.check(question));
  // Readers by role: compliance audits, other services' backends integrate, admins operate.
  const privileged = (actor: Actor) => actor.roles.some((role) => role === ROLES.compliance || role === ROLES.system || role === ROLES.admin);
  // Formal management of the unit (or one above), else a coordination mandate in force there, answered by the one evaluator.
  const oversees = async (actor: Actor, unitId: string) =>
    (await facts.managesUnit(actor.personId, unitId)) ||
    (await check({ personId: actor.personId, authority: 'tasks.view-all', unitId })).allowed;
  return {
    mandates: {
      commands: admittedBy(commands, admit),
      mandate: (id) => facts.mandate(id),
      managesUnit: (personId, unitId) => facts.managesUnit(personId, unitId),
      list: (query) => fresh(() => queries.list(query)),
    },
    directory: {
      commands: parts.directory,
      unit: (id) => facts.unit(id),
      person: (id) => facts.person(id),
      versionedPerson: (id) => facts.versionedPerson(id),
      personForAbsences: async (actor, personId, access) => {
        const roles: readonly string[] = access === 'write' ? [ROLES.admin, ROLES.directorySync] : [ROLES.admin, ROLES.directorySync, ROLES.system, ROLES.compliance];
        const byRole = actor.roles.some((role) => roles.includes(role));
        const found = await facts.versionedPerson(personId);
        if (found) {
          if (byRole || actor.personId === personId) return found;
          for (const unitId of found.value.unitIds) if (await facts.managesUnit(actor.personId, unitId)) return found;
        } else if (byRole || actor.personId === personId) {
          throw new ProblemException(problems.notFound(`No person ${personId}.`));
        }
        throw new ProblemException(
          problems.forbidden(`${personId}'s absences are kept by ${personId} themself, formal managers of a unit ${personId} belongs to (or of a unit above it) and HR${access === 'read' ? '; other systems and compliance may read them' : ''}.`),
        );
      },
    },
    taskTypes: { ...parts.taskTypes, frameworkChecks: () => parts.frameworkChecks.describe() },
    leadership: {
      assertMayAsk: async (actor, { personId, unitId }) => {
        if (actor.personId === personId || privileged(actor) || (await oversees(actor, unitId))) return;
        throw new ProblemException(
          problems.forbidden(`Only ${personId} themself, formal managers of unit ${unitId} or a unit above it, coordinators there (tasks.view-all), and compliance or system callers may ask about ${personId}'s authority.`, { unitId }),
        );
      },
      assertMayViewUnit: async (actor, unitId) => {
        if (privileged(actor) || (await facts.person(actor.personId))?.unitIds.includes(unitId) || (await oversees(actor, unitId))) return;
        throw new ProblemException(problems.forbidden(`Unit ${unitId} is visible to its members, formal managers of it or a unit above it, coordinators there (tasks.view-all), and compliance or system callers.`, { unitId }));
      },
      check,
      why: (query) => authorityAt(query, (question) => parts.authority.why(question), (question) => queries.why(question)),
      leadershipMap: (unitId, at = now().toISOString()) =>
        fresh(async () => ({ at, map: await queries.leadershipMap(unitId, at, await parts.taskTypes.list.execute()) })),
    },
    audit: {
      mandateEvents: (mandateId) => store.readStream(mandateStreamName(mandateId)),
      mandateVersionsAsOf: ({ unitId, at, after, limit }) =>
        fresh(() => queries.mandateVersionsPageAsOf(unitId ? { unitId } : {}, at, { ...(after !== undefined ? { after } : {}), limit })),
      store,
    },
  };
}
