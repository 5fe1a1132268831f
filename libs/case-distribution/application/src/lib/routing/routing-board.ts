import { evolveRecorded, StoreFollower, type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';
import { categoryOf, idOf } from '@leadership/kernel';
import {
  AGENT_STREAM_CATEGORY,
  agentAvailabilityAt,
  agentDecider,
  CASE_STREAM_CATEGORY,
  caseDecider,
  channelWeight,
  QUEUE_STREAM_CATEGORY,
  queueDecider,
  type AgentState,
  type CaseState,
  type ExistingCase,
  type ExistingQueue,
  type QueueState,
  type RoutingAgent,
  type RoutingSnapshot,
  type WaitingCase,
} from '@leadership/case-distribution-domain';

/** A stream's folded state and the revision it was folded to. */
interface Folded<S> {
  readonly revision: number;
  readonly state: S;
}

/** Who holds an open case (offered to or assigned to) and the load units it weighs on them. */
interface Hold {
  readonly personId: string;
  readonly weight: number;
}

const CATEGORIES = [CASE_STREAM_CATEGORY, QUEUE_STREAM_CATEGORY, AGENT_STREAM_CATEGORY] as const;

/**
 * The router's view of the context, in memory: every queue, every agent, and the open cases
 * (resolved ones are dropped, so memory follows the open work, not the history). It is fed from
 * the service's own event store — `catchUp()` reads everything committed after the last event it
 * applied — so a routing pass that catches up first decides on every committed fact, including
 * the offers the previous pass appended. Loads are kept incrementally: each case remembers the
 * weight it put on its holder, so a later change of channel weights cannot make loads drift.
 *
 * Rebuilt from the store on start (a restart loses nothing: cases, offers and their expiry are
 * events), it is the single writer's state: one dispatcher per event store (see Dispatcher).
 */
export class RoutingBoard {
  private readonly queues = new Map<string, Folded<QueueState>>();
  private readonly agents = new Map<string, Folded<AgentState>>();
  private readonly cases = new Map<string, Folded<ExistingCase>>();
  private readonly holds = new Map<string, Hold>();
  private readonly load = new Map<string, { units: number; cases: number }>();
  private readonly waiting = new Map<string, Set<string>>();
  private readonly lastAssigned = new Map<string, string>();
  private readonly follower: StoreFollower;

  constructor(store: ReadOnlyEventStore) {
    this.follower = new StoreFollower(store, CATEGORIES, (event) => this.apply(event));
  }

  /** Global position of the last event applied (undefined before the first). */
  get position(): bigint | undefined {
    return this.follower.position;
  }

  /** Applies everything committed before the call (concurrent callers: see StoreFollower). */
  catchUp(): Promise<void> {
    return this.follower.catchUp();
  }

  /** Folds one recorded event in (the follower hands each event over once, in order). */
  private apply(event: RecordedEvent): void {
    const id = idOf(event.streamName);
    switch (categoryOf(event.streamName)) {
      case QUEUE_STREAM_CATEGORY: {
        const before = this.queues.get(id)?.state ?? queueDecider.initialState();
        this.queues.set(id, { revision: event.revision, state: evolveRecorded(queueDecider, before, event) });
        return;
      }
      case AGENT_STREAM_CATEGORY: {
        const before = this.agents.get(id)?.state ?? agentDecider.initialState();
        this.agents.set(id, { revision: event.revision, state: evolveRecorded(agentDecider, before, event) });
        return;
      }
      case CASE_STREAM_CATEGORY:
        this.applyCase(id, event);
        return;
      default:
        return;
    }
  }

  private applyCase(caseId: string, event: RecordedEvent): void {
    const before: CaseState = this.cases.get(caseId)?.state ?? caseDecider.initialState();
    const after = evolveRecorded(caseDecider, before, event);
    if (after.status === 'none') return;
    if (before.status !== 'none' && before.status === 'queued') this.waiting.get(before.queueId)?.delete(caseId);
    this.release(caseId);
    if (after.status === 'resolved') {
      this.cases.delete(caseId);
      return;
    }
    this.cases.set(caseId, { revision: event.revision, state: after });
    if (after.status === 'queued') {
      const set = this.waiting.get(after.queueId) ?? new Set<string>();
      set.add(caseId);
      this.waiting.set(after.queueId, set);
    }
    const holder = after.status === 'offered' ? after.offer?.agentId : after.status === 'assigned' ? after.assigneeId : undefined;
    if (holder) this.hold(caseId, holder, this.weightOf(after));
    if (event.type === 'CaseOffered' || event.type === 'CaseAssigned' || event.type === 'CaseReassigned') {
      if (holder) this.lastAssigned.set(holder, (event.data as { at: string }).at);
    }
  }

  private weightOf(state: ExistingCase): number {
    const queue = this.queues.get(state.queueId)?.state;
    return queue?.status === 'defined' ? channelWeight(queue.config, state.channel) : 1;
  }

  private hold(caseId: string, personId: string, weight: number): void {
    this.holds.set(caseId, { personId, weight });
    const current = this.load.get(personId) ?? { units: 0, cases: 0 };
    this.load.set(personId, { units: current.units + weight, cases: current.cases + 1 });
  }

  private release(caseId: string): void {
    const hold = this.holds.get(caseId);
    if (!hold) return;
    this.holds.delete(caseId);
    const current = this.load.get(hold.personId) ?? { units: 0, cases: 0 };
    this.load.set(hold.personId, { units: current.units - hold.weight, cases: current.cases - 1 });
  }

  queue(queueId: string): ExistingQueue | undefined {
    const state = this.queues.get(queueId)?.state;
    return state?.status === 'defined' ? state : undefined;
  }

  queueIds(): string[] {
    return [...this.queues.keys()];
  }

  /** An open case with the revision of its stream (undefined when unknown or resolved). */
  openCase(caseId: string): Folded<ExistingCase> | undefined {
    return this.cases.get(caseId);
  }

  openCases(): IterableIterator<Folded<ExistingCase>> {
    return this.cases.values();
  }

  /** Load units and number of cases offered or assigned to the person, in every queue. */
  loadOf(personId: string): { units: number; cases: number } {
    return this.load.get(personId) ?? { units: 0, cases: 0 };
  }

  agent(personId: string): AgentState {
    return this.agents.get(personId)?.state ?? agentDecider.initialState();
  }

  lastAssignedAt(personId: string): string | null {
    return this.lastAssigned.get(personId) ?? null;
  }

  /** How many cases wait in the queue. */
  waitingCount(queueId: string): number {
    return this.waiting.get(queueId)?.size ?? 0;
  }

  /** What the router needs for one queue at `now` (undefined for an unknown queue). */
  snapshot(queueId: string, now: string): RoutingSnapshot | undefined {
    const queue = this.queue(queueId);
    if (!queue) return undefined;
    const cases: WaitingCase[] = [];
    for (const caseId of this.waiting.get(queueId) ?? []) {
      const state = this.cases.get(caseId)?.state;
      if (!state) continue;
      cases.push({
        caseId,
        queueId,
        priority: state.priority,
        receivedAt: state.receivedAt,
        channel: state.channel,
        requiredSkills: state.requiredSkills,
        preferredSkills: state.preferredSkills,
        declinedBy: state.declinedBy,
        visitedQueueIds: state.visitedQueueIds,
        escalatedToFormalManager: state.escalatedToFormalManager,
      });
    }
    const agents: RoutingAgent[] = queue.agents.map((member) => {
      const agent = this.agent(member.personId);
      const load = this.loadOf(member.personId);
      const known = agent.status === 'known';
      return {
        personId: member.personId,
        presence: known ? agent.presence : 'offline',
        absences: known ? agent.absences : [],
        unavailability: known ? agent.unavailability : [],
        capacity: member.capacity,
        skills: member.skills,
        load: load.units,
        activeCases: load.cases,
        lastAssignedAt: this.lastAssignedAt(member.personId),
        returnedFromAbsenceAt: agentAvailabilityAt(agent, now).returnedFromAbsenceAt,
      };
    });
    // An overflow target that is no defined queue (configured before targets were checked) is no target: the case goes to the formal manager.
    const overflowQueueId = queue.config.overflowQueueId !== null && this.queue(queue.config.overflowQueueId) ? queue.config.overflowQueueId : null;
    return { queue: { queueId, routing: queue.config.routing, channelWeights: queue.config.channelWeights, overflowQueueId }, cases, agents };
  }
}
