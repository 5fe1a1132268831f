import type { EventStore } from '@leadership/event-store';
import type { CommandContext, Decider } from '@leadership/kernel';
import {
  sameData,
  sameInstant,
  sessionDecider,
  sessionStreamName,
  type DecisionStamp,
  type GeneratedPlan,
  type PlanStep,
  type SessionCommand,
  type SessionDetails,
  type SessionEvent,
  type SessionState,
} from '@leadership/onboarding-domain';
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

/** The session decider driven by a choice made on the state read (schedule a new session, revise an existing one). */
const followStep: Decider<(state: SessionState) => SessionCommand | undefined, SessionEvent, SessionState> = {
  initialState: sessionDecider.initialState,
  evolve: sessionDecider.evolve,
  decide: (choose, state) => {
    const command = choose(state);
    return command ? sessionDecider.decide(command, state) : [];
  },
};

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
    // Bookings of these sessions are looked up once; a booking made below is found by bookAutomatically after its own catch-up.
    await this.board.catchUp();
    for (const step of steps) {
      const sessionId = step.sessionId ?? '';
      const at = this.now().toISOString();
      const details = detailsOf(step);
      // What the step asks of the session, chosen on the state the command handler read (one read per session).
      let before: SessionState = sessionDecider.initialState();
      const choose = (current: SessionState): SessionCommand | undefined => {
        before = current;
        if (step.status === 'removed') return current.status === 'none' ? undefined : { type: 'CancelSession', data: { sessionId, at, actorId: stamp.actorId, reason: 'removed from the plan', stamp } };
        if (current.status === 'none') return { type: 'ScheduleSession', data: { sessionId, at, ...details, stamp, planId: plan.planId, stepKey: step.key, unitId: plan.unitId, attendeeIds: [plan.newcomerId] } };
        return current.status === 'scheduled' ? { type: 'ReviseSession', data: { sessionId, at, ...details, stamp } } : undefined;
      };
      if (step.status === 'removed') {
        for (const booking of this.openBookings(sessionId)) await this.bookings.cancel(booking, 'the session was removed from the plan', stamp, context);
        await run(this.store, sessionStreamName(sessionId), followStep, choose, context);
        continue;
      }
      await run(this.store, sessionStreamName(sessionId), followStep, choose, context);
      const previous = before as SessionState;
      if (previous.status === 'cancelled') continue;
      if (previous.status === 'scheduled') {
        if (!sameData(previous.presenterSlot, details.presenterSlot)) {
          for (const booking of this.openBookings(sessionId)) await this.bookings.cancel(booking, 'the session asks for another presenter', stamp, context);
        } else if (!sameInstant(previous.from, details.from) || !sameInstant(previous.to, details.to)) {
          for (const booking of this.openBookings(sessionId)) await this.bookings.reschedule(booking, { from: details.from, to: details.to }, context);
        }
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

}
