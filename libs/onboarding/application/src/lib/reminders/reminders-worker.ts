import { EventIdConflictError, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import {
  isBefore,
  remindersDue,
  reminderStreamName,
  sessionReminderDue,
  type ReminderEvent,
  type SessionReminderFired,
  type TaskReminderFired,
} from '@leadership/onboarding-domain';
import type { OnboardingBoard } from '../board/onboarding-board';
import type { PresenterBookings } from '../booking/presenter-bookings/presenter-bookings';
import type { PresenterChoices } from '../booking/presenter-choices/presenter-choices';

/** The actor of reminders and expiries: the scheduler, not a person. */
export const REMINDERS_ACTOR = 'system:onboarding-reminders';

export interface RemindersWorkerLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface RemindersWorkerOptions {
  /** Pause between passes [60 s]: reminders fire at 09:00 local, a minute late is on time. */
  readonly intervalMs?: number;
  /**
   * Pause after a failed pass [5 s, at most intervalMs], doubling while passes keep failing: a pass
   * that failed because MongoDB or the store was away is retried soon after it returns, so
   * expiries and moves to the next candidate are not a minute late and /health recovers with it.
   */
  readonly retryAfterFailureMs?: number;
  readonly logger?: RemindersWorkerLogger;
}

export interface ReminderPassOutcome {
  readonly fired: number;
  /** Reminders another writer (or an earlier, interrupted pass) had fired already. */
  readonly alreadyFired: number;
  readonly expired: number;
  /** Open bookings released because their presenter became absent for the session. */
  readonly releasedAbsent: number;
  /** Sessions whose declined, expired or absent presenter was followed by a request to the next candidate. */
  readonly movedOn: number;
}

/**
 * Fires task and session reminders and expires unanswered presenter requests. Nothing is
 * scheduled ahead: each pass asks the pure `remindersDue`/`sessionReminderDue` what is due *now*
 * for every active plan and scheduled session, and fires what the ledger does not hold yet by
 * appending one event to `reminder-<reminderId>` at "no stream" (event id = reminder id). The
 * relay publishes it with that id. A reminder therefore fires once: a restart recomputes the same
 * ids and finds them in the ledger (the board is rebuilt from the store), a second writer's append
 * is refused (or, with the same event id, absorbed by the store as a repeat). And it is never lost: a pass that did not run (the service was down at 09:00)
 * finds it due on the next pass.
 *
 * The same pass expires unanswered presenter requests, releases presenters the directory has absent
 * for their session (`PresenterChoices.releaseAbsent`), and moves every session whose latest booking
 * was declined, expired or released for an absence on to its next candidate (`PresenterChoices.sweep`:
 * what a decline or the directory consumer did at once, or a crash interrupted, is complete after
 * the next pass).
 */
export class RemindersWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private passes = 0;
  private lastError: string | undefined;
  private failuresInARow = 0;

  constructor(
    private readonly store: EventStore,
    private readonly board: OnboardingBoard,
    private readonly bookings: PresenterBookings,
    private readonly choices: PresenterChoices,
    private readonly now: () => Date,
    private readonly options: RemindersWorkerOptions = {},
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.board.catchUp();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  status(): { running: boolean; passes: number; lastError: string | undefined } {
    return { running: !this.stopped, passes: this.passes, lastError: this.lastError };
  }

  /** One pass (the timer runs it; tests drive it with their clock). */
  async pass(): Promise<ReminderPassOutcome> {
    await this.board.catchUp();
    const now = this.now().toISOString();
    const due: ReminderEvent[] = [];
    for (const plan of this.board.allPlans()) {
      for (const reminder of remindersDue(plan, now)) due.push({ type: 'TaskReminderFired', data: { ...reminder, actorId: REMINDERS_ACTOR, at: now } } satisfies TaskReminderFired);
    }
    for (const session of this.board.allSessions()) {
      const plan = this.board.plan(session.planId);
      if (!plan || plan.status !== 'active') continue;
      const reminder = sessionReminderDue(session, plan.timeZone, now);
      if (!reminder) continue;
      const place = session.location ?? session.link;
      due.push({ type: 'SessionReminderFired', data: { ...reminder, actorId: REMINDERS_ACTOR, at: now, newcomerId: session.planId, unitId: session.unitId, title: session.title, place } } satisfies SessionReminderFired);
    }
    let fired = 0;
    let alreadyFired = 0;
    for (const event of due) {
      const { reminderId } = event.data;
      if (this.board.hasFired(reminderId)) continue;
      try {
        await this.store.appendToStream(reminderStreamName(reminderId), [{ type: event.type, data: event.data, metadata: { eventId: reminderId, actor: REMINDERS_ACTOR } }], 'no_stream');
        fired += 1;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError || error instanceof EventIdConflictError)) throw error;
        alreadyFired += 1;
      }
    }
    let expired = 0;
    for (const session of this.board.allSessions()) {
      for (const booking of this.board.bookingsOfSession(session.sessionId)) {
        if (booking.status !== 'requested' || isBefore(now, booking.expiresAt)) continue;
        await this.bookings.expire(booking.bookingId, { actorId: REMINDERS_ACTOR });
        expired += 1;
      }
    }
    const releasedAbsent = await this.choices.releaseAbsent('all', {});
    const movedOn = await this.choices.sweep({});
    this.passes += 1;
    return { fired, alreadyFired, expired, releasedAbsent, movedOn };
  }

  /** The interval after a pass that succeeded; after failures a shorter pause, doubling up to the interval. */
  private nextDelayMs(): number {
    const interval = this.options.intervalMs ?? 60_000;
    if (this.failuresInARow === 0) return interval;
    const retry = Math.min(this.options.retryAfterFailureMs ?? 5_000, interval);
    return Math.min(retry * 2 ** (this.failuresInARow - 1), interval);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.pass()
        .then(
          () => {
            this.lastError = undefined;
            this.failuresInARow = 0;
          },
          (error: unknown) => {
            // The next pass computes everything again from the store: log and carry on.
            this.lastError = error instanceof Error ? error.message : String(error);
            this.failuresInARow += 1;
            this.options.logger?.error(`reminders pass failed: ${this.lastError}`);
          },
        )
        .finally(() => {
          this.running = undefined;
          this.schedule(this.nextDelayMs());
        });
    }, delayMs);
  }
}
