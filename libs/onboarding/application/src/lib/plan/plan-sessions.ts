import { readAggregate, type EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import { sameData, sameInstant, sessionDecider, sessionStreamName, type DecisionStamp, type GeneratedPlan, type PlanStep, type SessionDetails } from '@leadership/onboarding-domain';
import type { OnboardingBoard } from '../board/onboarding-board';
import type { PresenterBookings } from '../booking/presenter-bookings/presenter-bookings';
import type { AutomaticBooking, RequestPresenterHandler } from '../booking/request-presenter/request-presenter.handler';
import { run } from '../shared/onboarding-commands';

const detailsOf = (step: PlanStep): SessionDetails => ({
  title: step.title,
  from: step.start ?? '',
  to: step.end ?? '',
  location: step.location,
  link: step.link,
  capacity: step.capacity,
  presenterSlot: step.presenter,
});

/**
 * Keeps the sessions of a plan in step with its session steps, after a generation or an edit: a
 * new step schedules its session (and books its presenter), a changed one revises it (open
 * bookings follow a new time; a new presenter slot ends the old booking and books again), a
 * removed one cancels it and its bookings (CANCEL to everyone invited). Every write is idempotent,
 * so running it again after a crash half way completes what is missing.
 */
export class PlanSessions {
  constructor(
    private readonly store: EventStore,
    private readonly board: OnboardingBoard,
    private readonly presenters: RequestPresenterHandler,
    private readonly bookings: PresenterBookings,
    private readonly now: () => Date,
  ) {}

  /** `bookingStamp`: the authority to book presenters (null: the caller may plan but not book; sessions wait in the overview). */
  async sync(plan: GeneratedPlan, keys: readonly string[] | 'all', stamp: DecisionStamp, bookingStamp: DecisionStamp | null, context: CommandContext): Promise<AutomaticBooking[]> {
    const booked: AutomaticBooking[] = [];
    const steps = plan.steps.filter((step) => step.kind === 'session' && step.sessionId !== null && (keys === 'all' || keys.includes(step.key)));
    for (const step of steps) {
      const sessionId = step.sessionId ?? '';
      const stream = sessionStreamName(sessionId);
      const at = this.now().toISOString();
      const current = (await readAggregate(this.store, sessionDecider, stream)).state;
      await this.board.catchUp();
      if (step.status === 'removed') {
        if (current.status === 'none') continue;
        for (const booking of this.openBookings(sessionId)) await this.bookings.cancel(booking, 'the session was removed from the plan', stamp, context);
        await this.runSession(stream, { type: 'CancelSession', data: { sessionId, at, actorId: stamp.actorId, reason: 'removed from the plan', stamp } }, context);
        continue;
      }
      const details = detailsOf(step);
      if (current.status === 'none') {
        await this.runSession(stream, { type: 'ScheduleSession', data: { sessionId, at, ...details, stamp, planId: plan.planId, stepKey: step.key, unitId: plan.unitId, attendeeIds: [plan.newcomerId] } }, context);
      } else if (current.status === 'scheduled') {
        await this.runSession(stream, { type: 'ReviseSession', data: { sessionId, at, ...details, stamp } }, context);
        if (!sameData(current.presenterSlot, details.presenterSlot)) {
          for (const booking of this.openBookings(sessionId)) await this.bookings.cancel(booking, 'the session asks for another presenter', stamp, context);
        } else if (!sameInstant(current.from, details.from) || !sameInstant(current.to, details.to)) {
          for (const booking of this.openBookings(sessionId)) await this.bookings.reschedule(booking, { from: details.from, to: details.to }, context);
        }
      } else {
        continue;
      }
      if (step.presenter !== null && bookingStamp !== null) {
        await this.board.catchUp();
        booked.push(await this.presenters.bookAutomatically(sessionId, step.presenter, bookingStamp, context));
      }
    }
    return booked;
  }

  private openBookings(sessionId: string): string[] {
    return this.board.bookingsOfSession(sessionId).filter((booking) => booking.status === 'requested' || booking.status === 'confirmed').map((booking) => booking.bookingId);
  }

  private async runSession(stream: string, command: Parameters<typeof sessionDecider.decide>[0], context: CommandContext): Promise<void> {
    await run(this.store, stream, sessionDecider, command, context);
  }
}
