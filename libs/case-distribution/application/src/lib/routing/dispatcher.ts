import { handleCommand, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import { DomainRuleError, metadataFor, type CommandContext } from '@leadership/kernel';
import {
  agentDecider,
  agentStreamName,
  caseDecider,
  caseStreamName,
  routeCases,
  slaStatus,
  type CaseCommand,
  type DecisionStamp,
  type ExistingCase,
} from '@leadership/case-distribution-domain';
import type { RoutingBoard } from './routing-board';

/** The actor of automatic decisions: the routing policy of the queue, not a person. */
export const ROUTER_ACTOR = 'system:case-router';

const ROUTING_STAMP: DecisionStamp = { basis: 'routing-policy', mandateId: null, mandateVersion: null, actorId: ROUTER_ACTOR };

export interface DispatcherLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface DispatcherOptions {
  /** Pause between passes when nothing nudges the dispatcher [250 ms]: offer expiry, SLA and relaxation timers. */
  readonly intervalMs?: number;
  readonly logger?: DispatcherLogger;
}

/** What one pass did (tests, metrics, logs). */
/**
 * Decisions of one pass appended at the same time. Each is its own append to its own case
 * stream with its own expected revision; having several in flight lets the store commit them
 * together (the SQLite adapter's group commit: one fsync'd transaction for the appends of one
 * event-loop turn) instead of paying one fsync each. Bounded, because a commit blocks the event
 * loop while it writes: an offer carries its explanation (every agent of the queue, ~100 bytes
 * each), and 64 of them make a transaction of a few MB, written in tens of milliseconds.
 */
const DECISIONS_IN_FLIGHT = 64;

export interface PassOutcome {
  offered: number;
  overflowed: number;
  expired: number;
  slaMarked: number;
  /** Appends that lost to a concurrent change of the case (decided again next pass). */
  conflicts: number;
}

/**
 * The one writer of automatic decisions: offer expiry, SLA marks, offers and overflows. A pass
 * catches the board up with everything committed (so it sees the offers of the previous pass and
 * every manual change), then decides per queue with the pure router and appends each decision to
 * the case's stream at the revision it decided on: a case changed meanwhile (accepted, assigned
 * by hand) refuses the append, and the next pass decides again. Between queues the board catches
 * up once more, so an agent in two queues is never filled twice over.
 *
 * Passes never overlap: `nudge()` during a pass asks for one more right after it. Commands that
 * add work or free capacity nudge it; a timer runs a pass every `intervalMs` for the clocks
 * (offer expiry, SLA, skill relaxation). After a crash, a restart rebuilds the board from the
 * store and the next pass carries on: no case is lost (cases are events) and none is offered
 * twice (the expected revision).
 *
 * One dispatcher per event store: two would both offer within capacity and together exceed it.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly intervalMs: number;
  private lastError: string | undefined;
  private passes = 0;

  constructor(
    private readonly store: EventStore,
    private readonly board: RoutingBoard,
    private readonly now: () => Date,
    private readonly options: DispatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 250;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.board.catchUp();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Something changed (a case arrived, capacity freed): run a pass soon. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 0);
  }

  status(): { running: boolean; passes: number; lastError: string | undefined; position: string | undefined } {
    return { running: !this.stopped, passes: this.passes, lastError: this.lastError, position: this.board.position?.toString() };
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), this.again ? 0 : this.intervalMs);
    this.again = false;
  }

  private tick(): void {
    this.timer = undefined;
    this.running = this.pass()
      .then(
        () => {
          this.lastError = undefined;
        },
        (error: unknown) => {
          // The next pass starts over from the store; nothing is lost, so log and carry on.
          this.lastError = error instanceof Error ? error.message : String(error);
          this.options.logger?.error(`routing pass failed: ${this.lastError}`);
        },
      )
      .finally(() => {
        this.running = undefined;
        this.schedule();
      });
  }

  /** One pass (exposed for tests and for the benchmark, which drives passes itself). */
  async pass(): Promise<PassOutcome> {
    this.passes++;
    const outcome: PassOutcome = { offered: 0, overflowed: 0, expired: 0, slaMarked: 0, conflicts: 0 };
    await this.board.catchUp();
    const now = this.now().toISOString();
    await this.expireOffers(now, outcome);
    await this.markSla(now, outcome);
    for (const queueId of this.board.queueIds()) {
      // Caught up per queue: expired offers are waiting again, and the previous queue's offers count as load.
      await this.board.catchUp();
      if (this.board.waitingCount(queueId) === 0) continue;
      const snapshot = this.board.snapshot(queueId, now);
      if (!snapshot) continue;
      const plan = routeCases(snapshot, now);
      await inParallel(plan.offers, DECISIONS_IN_FLIGHT, async (offer) => {
        const ok = await this.decide(offer.caseId, { type: 'OfferCase', data: { caseId: offer.caseId, at: now, stamp: ROUTING_STAMP, agentId: offer.agentId, expiresAt: offer.expiresAt, explanation: offer.explanation } }, outcome);
        if (ok) outcome.offered++;
      });
      await inParallel(plan.overflows, DECISIONS_IN_FLIGHT, async (overflow) => {
        const ok = await this.decide(overflow.caseId, { type: 'OverflowCase', data: { caseId: overflow.caseId, at: now, stamp: ROUTING_STAMP, to: overflow.to, why: overflow.why } }, outcome);
        if (ok) outcome.overflowed++;
      });
    }
    return outcome;
  }

  private async expireOffers(now: string, outcome: PassOutcome): Promise<void> {
    const due: ExistingCase[] = [];
    for (const { state } of this.board.openCases()) if (state.status === 'offered' && state.offer && state.offer.expiresAt <= now) due.push(state);
    for (const state of due) {
      const offer = state.offer;
      if (!offer) continue;
      const ok = await this.decide(state.caseId, { type: 'ExpireOffer', data: { caseId: state.caseId, at: now, actorId: ROUTER_ACTOR, agentId: offer.agentId, expiresAt: offer.expiresAt } }, outcome);
      if (!ok) continue;
      outcome.expired++;
      // Consecutive timeouts set the agent away (the agent decider's rule), so offers stop going to someone who is not there.
      const stream = agentStreamName(offer.agentId);
      await handleCommand(this.store, stream, agentDecider, { type: 'NoteOfferTimedOut', data: { personId: offer.agentId, actorId: ROUTER_ACTOR, at: now, caseId: state.caseId, offerExpiresAt: offer.expiresAt } }, { metadata: metadataFor(this.context(), stream) });
    }
  }

  private async markSla(now: string, outcome: PassOutcome): Promise<void> {
    const marks: { caseId: string; command: CaseCommand }[] = [];
    for (const { state } of this.board.openCases()) {
      const queue = this.board.queue(state.queueId);
      if (!queue) continue;
      for (const target of slaStatus(state, queue.config.sla[state.priority], now)) {
        if (target.state === 'breached' && !state.slaBreached.includes(target.kind)) {
          marks.push({ caseId: state.caseId, command: { type: 'RecordSlaBreach', data: { caseId: state.caseId, at: now, actorId: ROUTER_ACTOR, target: target.kind, dueAt: target.dueAt } } });
        } else if (target.state === 'at-risk' && !state.slaAtRisk.includes(target.kind)) {
          marks.push({ caseId: state.caseId, command: { type: 'MarkSlaAtRisk', data: { caseId: state.caseId, at: now, actorId: ROUTER_ACTOR, target: target.kind, dueAt: target.dueAt } } });
        }
      }
    }
    await inParallel(marks, DECISIONS_IN_FLIGHT, async (mark) => {
      if (await this.decide(mark.caseId, mark.command, outcome)) outcome.slaMarked++;
    });
  }

  /** Appends the decision at the revision the board holds; false when the case changed meanwhile. */
  private async decide(caseId: string, command: CaseCommand, outcome: PassOutcome): Promise<boolean> {
    const open = this.board.openCase(caseId);
    if (!open) return false;
    const stream = caseStreamName(caseId);
    try {
      const result = await handleCommand(this.store, stream, caseDecider, command, { expectedRevision: open.revision, metadata: metadataFor(this.context(), stream) });
      return result.newEvents.length > 0;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        outcome.conflicts++;
        return false;
      }
      // The board decided on a state the rules no longer allow (e.g. a timer racing an answer): skip it, decide again next pass.
      if (error instanceof DomainRuleError) {
        this.options.logger?.warn(`routing decision on case ${caseId} refused (${error.rule}): ${error.message}`);
        outcome.conflicts++;
        return false;
      }
      throw error;
    }
  }

  private context(): CommandContext {
    return { actorId: ROUTER_ACTOR };
  }
}

/**
 * Runs `task` for every item, at most `limit` at a time (decisions on distinct cases: their order
 * does not matter). Every started task is waited for, so a pass never ends with appends still in
 * flight; the first failure is rethrown after that.
 */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
