import { readAggregate, type EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import {
  addMinutes,
  bookingDecider,
  bookingStreamName,
  epochOf,
  instantAt,
  presenterDecider,
  presenterStreamName,
  SessionCancelledError,
  sessionDecider,
  SessionNotFoundError,
  SessionPresenterTakenError,
  sessionStreamName,
  type BookingState,
  type DecisionStamp,
  type ExistingBooking,
  type PresenterResolution,
  type ReleaseCause,
  type TimeWindow,
} from '@leadership/onboarding-domain';
import type { OnboardingBoard } from '../../board/onboarding-board';
import type { OnboardingPeople } from '../../directory/onboarding-people.port';
import { isVersionConflict, run, versionOf } from '../../shared/onboarding-commands';

/** How long a presenter has to answer a request (cut short by the session's start). */
export const REQUEST_ANSWER_DAYS = 3;
/** Rounds of "read, decide, append" an accept tries before it gives up on a busy booking. */
const ACCEPT_ROUNDS = 5;

export interface PresenterRequest {
  readonly bookingId: string;
  readonly sessionId: string;
  readonly personId: string;
  readonly resolution: PresenterResolution;
  readonly stamp: DecisionStamp;
}

/** A booking after a step of the protocol, with its version. */
export interface BookingResult {
  readonly booking: ExistingBooking;
  readonly version: number;
}

function existing(state: BookingState, bookingId: string, version: number): BookingResult {
  if (state.status === 'none') throw new Error(`booking ${bookingId} has no state after a command that leaves one`);
  return { booking: state, version };
}

/**
 * The booking protocol that keeps a person from presenting two sessions at once (see the domain
 * README): the person's calendar stream (`presenter-<personId>`) is the consistency boundary.
 *
 * - request: the person's confirmed slots, their absences (the directory's) and the session's declined
 *   bookings are read and handed to the decider, so nobody busy, absent or who said no is asked;
 * - accept: the slot is reserved in the calendar first (refused while the person is absent then;
 *   appended at the revision read, so two
 *   concurrent accepts of one person serialise and the second is refused naming the first), then
 *   the booking records its confirmation at the revision it decided on; if the booking changed
 *   meanwhile it is read and decided again, and a booking that ended meanwhile gives the slot back;
 *   then the session takes its presenter;
 * - decline, expire, cancel, release: the booking ends first, then the slot is freed and the
 *   session loses its presenter — a slot is freed only for a booking that has ended, so no accept
 *   in flight can be confirmed on a freed slot.
 */
export class PresenterBookings {
  constructor(
    private readonly store: EventStore,
    private readonly board: OnboardingBoard,
    private readonly people: Pick<OnboardingPeople, 'person'>,
    private readonly now: () => Date,
  ) {}

  async request(input: PresenterRequest, context: CommandContext): Promise<BookingResult> {
    const session = await readAggregate(this.store, sessionDecider, sessionStreamName(input.sessionId));
    if (session.state.status === 'none') throw new SessionNotFoundError(input.sessionId);
    if (session.state.status === 'cancelled') throw new SessionCancelledError(input.sessionId, 'get a presenter');
    const calendar = await readAggregate(this.store, presenterDecider, presenterStreamName(input.personId));
    const absences = await this.absencesOf(input.personId);
    await this.board.catchUp();
    const declined = this.board
      .bookingsOfSession(input.sessionId)
      .filter((booking) => booking.status === 'declined')
      .map(({ bookingId, personId }) => ({ bookingId, personId }));
    const at = this.now().toISOString();
    const { from, to, title } = session.state;
    // The answer is due well before the session, never after it starts.
    const expiresAt = instantAt(Math.min(epochOf(addMinutes(at, REQUEST_ANSWER_DAYS * 24 * 60)), epochOf(from)));
    const result = await run(
      this.store,
      bookingStreamName(input.bookingId),
      bookingDecider,
      {
        type: 'RequestPresenter',
        data: { bookingId: input.bookingId, at, stamp: input.stamp, sessionId: input.sessionId, personId: input.personId, title, from, to, expiresAt, resolution: input.resolution, absences, confirmed: calendar.state.slots, declined },
      },
      context,
    );
    return existing(result.newState, input.bookingId, versionOf(result));
  }

  async accept(bookingId: string, context: CommandContext): Promise<BookingResult> {
    const stream = bookingStreamName(bookingId);
    for (let round = 1; ; round++) {
      const read = await readAggregate(this.store, bookingDecider, stream);
      const at = this.now().toISOString();
      const command = { type: 'AcceptBooking' as const, data: { bookingId, at, actorId: context.actorId } };
      // Checked before the calendar is touched: only the asked person, only a pending request.
      const decided = bookingDecider.decide(command, read.state);
      const booking = existing(read.state, bookingId, read.revision).booking;
      if (decided.length === 0) {
        await this.assignPresenter(booking, context);
        return { booking, version: read.revision };
      }
      const absences = await this.absencesOf(booking.personId);
      await run(
        this.store,
        presenterStreamName(booking.personId),
        presenterDecider,
        { type: 'ReserveSlot', data: { personId: booking.personId, actorId: context.actorId, at, bookingId, sessionId: booking.sessionId, from: booking.from, to: booking.to, absences } },
        context,
      );
      try {
        const confirmed = await run(this.store, stream, bookingDecider, command, context, read.revision);
        const result = existing(confirmed.newState, bookingId, versionOf(confirmed));
        await this.assignPresenter(result.booking, context);
        return result;
      } catch (error) {
        if (!isVersionConflict(error)) throw error;
        const now = await readAggregate(this.store, bookingDecider, stream);
        if (now.state.status !== 'requested' && now.state.status !== 'confirmed') {
          // Ended meanwhile (declined, cancelled, released): its slot goes back.
          await this.freeSlot(now.state.status === 'none' ? booking : now.state, context);
        }
        if (round >= ACCEPT_ROUNDS) throw error;
      }
    }
  }

  async decline(bookingId: string, reason: string, context: CommandContext): Promise<BookingResult> {
    return this.end(bookingId, { type: 'DeclineBooking', data: { bookingId, at: this.now().toISOString(), actorId: context.actorId, reason } }, context);
  }

  async expire(bookingId: string, context: CommandContext): Promise<BookingResult> {
    return this.end(bookingId, { type: 'ExpireBooking', data: { bookingId, at: this.now().toISOString(), actorId: context.actorId } }, context);
  }

  async cancel(bookingId: string, reason: string, stamp: DecisionStamp | null, context: CommandContext): Promise<BookingResult> {
    return this.end(bookingId, { type: 'CancelBooking', data: { bookingId, at: this.now().toISOString(), actorId: context.actorId, reason, stamp } }, context);
  }

  /** Releases the presenter: the role changed hands (default), or they became absent for the session. */
  async release(bookingId: string, successorId: string | null, stamp: DecisionStamp | null, context: CommandContext, cause: ReleaseCause = 'role-changed-hands'): Promise<BookingResult> {
    return this.end(bookingId, { type: 'ReleaseBooking', data: { bookingId, at: this.now().toISOString(), actorId: context.actorId, successorId, stamp, cause } }, context);
  }

  /**
   * The session moved: an open booking follows. A confirmed one takes the new time in the
   * presenter's calendar first; if the person is busy then, the booking is cancelled (the organiser
   * asks someone else) rather than left holding a time the calendar refused.
   */
  async reschedule(bookingId: string, window: { from: string; to: string }, context: CommandContext): Promise<BookingResult> {
    const read = await readAggregate(this.store, bookingDecider, bookingStreamName(bookingId));
    const booking = existing(read.state, bookingId, read.revision).booking;
    const at = this.now().toISOString();
    if (booking.status === 'confirmed') {
      const absences = await this.absencesOf(booking.personId);
      try {
        await run(
          this.store,
          presenterStreamName(booking.personId),
          presenterDecider,
          { type: 'ReserveSlot', data: { personId: booking.personId, actorId: context.actorId, at, bookingId, sessionId: booking.sessionId, ...window, absences } },
          context,
        );
      } catch (error) {
        if (!(error instanceof Error && 'rule' in error)) throw error;
        return this.cancel(bookingId, `the session moved to a time ${booking.personId} is not free`, null, context);
      }
    }
    const moved = await run(this.store, bookingStreamName(bookingId), bookingDecider, { type: 'RescheduleBooking', data: { bookingId, at, actorId: context.actorId, ...window } }, context);
    return existing(moved.newState, bookingId, versionOf(moved));
  }

  private async end(bookingId: string, command: Parameters<typeof bookingDecider.decide>[0], context: CommandContext): Promise<BookingResult> {
    const result = await run(this.store, bookingStreamName(bookingId), bookingDecider, command, context);
    const ended = existing(result.newState, bookingId, versionOf(result));
    if (ended.booking.status !== 'requested' && ended.booking.status !== 'confirmed') {
      // Also on a repeated end: the slot and the presenter go only if an earlier attempt stopped half way.
      await this.freeSlot(ended.booking, context);
      await run(this.store, sessionStreamName(ended.booking.sessionId), sessionDecider, { type: 'UnassignPresenter', data: { sessionId: ended.booking.sessionId, at: this.now().toISOString(), actorId: context.actorId, bookingId } }, context);
    }
    return ended;
  }

  /** The person's absences as the directory announced them (none while the directory has not named the person). */
  private async absencesOf(personId: string): Promise<readonly TimeWindow[]> {
    return (await this.people.person(personId))?.absences ?? [];
  }

  private async freeSlot(booking: ExistingBooking, context: CommandContext): Promise<void> {
    await run(this.store, presenterStreamName(booking.personId), presenterDecider, { type: 'FreeSlot', data: { personId: booking.personId, actorId: context.actorId, at: this.now().toISOString(), bookingId: booking.bookingId } }, context);
  }

  /** The confirmed presenter joins the session; a session that got another presenter meanwhile refuses, and this booking is withdrawn. */
  private async assignPresenter(booking: ExistingBooking, context: CommandContext): Promise<void> {
    try {
      await run(this.store, sessionStreamName(booking.sessionId), sessionDecider, { type: 'AssignPresenter', data: { sessionId: booking.sessionId, at: this.now().toISOString(), actorId: context.actorId, presenterId: booking.personId, bookingId: booking.bookingId } }, context);
    } catch (error) {
      if (!(error instanceof SessionPresenterTakenError || error instanceof SessionCancelledError)) throw error;
      await this.cancel(booking.bookingId, error instanceof SessionCancelledError ? 'the session was cancelled' : 'the session has another presenter', null, context);
      throw error;
    }
  }
}
