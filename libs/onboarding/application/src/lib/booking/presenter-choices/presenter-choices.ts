import { readAggregate, type EventStore } from '@leadership/event-store';
import { DomainRuleError, type CommandContext } from '@leadership/kernel';
import {
  bookingToSucceed,
  choosePresenter,
  isBefore,
  OPEN_BOOKING_STATUSES,
  overlaps,
  presenterDecider,
  presenterStreamName,
  roleCandidates,
  skillCandidates,
  successorAddress,
  successorBookingId,
  type CandidateFacts,
  type ExistingBooking,
  type ExistingSession,
  type PresenterAddress,
  type PresenterCandidate,
  type PresenterChoice,
} from '@leadership/onboarding-domain';
import { bookingStampFor, type OnboardingAuthority } from '../../authority/onboarding-authority.port';
import type { OnboardingBoard } from '../../board/onboarding-board';
import type { OnboardingPeople } from '../../directory/onboarding-people.port';
import { PresenterUnresolvableError } from '../../shared/onboarding-commands';
import type { BookingResult, PresenterBookings } from '../presenter-bookings/presenter-bookings';

/** The actor of requests nobody decided at that moment: the next candidate after a decline, an expiry or an absence. */
export const PRESENTERS_ACTOR = 'system:onboarding-presenters';

/**
 * Who presents a session: the candidates of an address (a person; a role's holder, then the deputy
 * on the holder's mandate and the unit's formal manager once the holder said no; the people with a
 * skill, least booked first) and the first one who may be asked (`choosePresenter`: not who said no
 * to the session, not an attendee, not absent, not confirmed on another session then). Facts come
 * from the mandates (authority projection), the directory (people projection: skills, absences),
 * the presenters' calendars and the session's earlier bookings (board).
 *
 * And the rule that a declined or expired request — or a presenter who became absent — moves on:
 * `moveOn` asks the next candidate of the ended booking's address under the booking's successor id
 * (one successor per booking, so a repeated move asks once), on the organiser's authority (or the
 * formal manager's); a person-addressed booking has no next candidate (the organiser sees the
 * decline in BookingChanged and the session in the overview). `sweep` does the same for every
 * session that needs it, so a move that a crash interrupted is made up by the next pass.
 *
 * A presenter who becomes absent for a session they were asked for or confirmed on is released
 * from it (`releaseAbsent`: `BookingReleased` with cause `presenter-absent`, their slot freed, the
 * session without presenter — notifications sends the CANCEL) and the session moves on as after a
 * decline (for a role, the stand-ins step in: the holder's absence is their no to this session).
 */
export class PresenterChoices {
  constructor(
    private readonly store: EventStore,
    private readonly board: OnboardingBoard,
    private readonly authority: OnboardingAuthority,
    private readonly people: OnboardingPeople,
    private readonly bookings: PresenterBookings,
    private readonly now: () => Date,
  ) {}

  /** The candidates of an address, in order of preference. */
  async candidates(address: PresenterAddress): Promise<PresenterCandidate[]> {
    if ('personId' in address) return [{ personId: address.personId, resolution: { basis: 'person' } }];
    if ('role' in address) {
      const holder = this.authority.roleHolder(address.role, this.now().toISOString());
      const manager = this.authority.formalManagerOf(address.role.unitId);
      return roleCandidates(address.role, holder ? { ...holder, deputyId: holder.deputyId ?? null } : null, manager ? [manager] : []);
    }
    const people = await this.people.withSkill(address.skill);
    const openBookings = (personId: string) => this.board.bookingsOf(personId).filter((booking) => OPEN_BOOKING_STATUSES.includes(booking.status)).length;
    return skillCandidates(address.skill, people.map(({ personId }) => ({ personId, openBookings: openBookings(personId) })));
  }

  /** The first candidate who may be asked for the session now (the caller caught the board up). */
  async choose(session: ExistingSession, address: PresenterAddress): Promise<PresenterChoice & { readonly candidates: readonly PresenterCandidate[] }> {
    const candidates = await this.candidates(address);
    const facts = new Map<string, CandidateFacts>();
    for (const { personId } of candidates) facts.set(personId, await this.factsOf(personId));
    const earlier = this.board.bookingsOfSession(session.sessionId).map(({ bookingId, personId, status, releaseCause }) => ({ bookingId, personId, status, releaseCause }));
    const choice = choosePresenter({ window: session, sessionId: session.sessionId, candidates, earlier, attendeeIds: session.attendeeIds, facts });
    return { ...choice, candidates };
  }

  /**
   * Who a request for `address` asks now, or the rule that stops it: a named person is asked as
   * named (the booking decider refuses them if busy, absent or they declined the session); a role
   * nobody holds, or a skill nobody has, is unresolvable; a role's holder who is busy or absent is
   * refused with that rule (stand-ins step in only once the holder said no).
   */
  async resolve(session: ExistingSession, address: PresenterAddress): Promise<PresenterCandidate> {
    if ('personId' in address) return { personId: address.personId, resolution: { basis: 'person' } };
    const choice = await this.choose(session, address);
    if (choice.chosen) return choice.chosen;
    const { sessionId } = session;
    if ('role' in address) {
      const first = choice.passedOver[0];
      if (first && choice.passedOver.length === 1) throw first.error;
      if (choice.candidates.length === 0) throw new PresenterUnresolvableError(sessionId, `nobody holds ${address.role.taskType} in unit ${address.role.unitId} now`);
      throw new PresenterUnresolvableError(sessionId, `nobody for ${address.role.taskType} in unit ${address.role.unitId} can be asked: ${describe(choice)}`);
    }
    if (choice.candidates.length === 0) throw new PresenterUnresolvableError(sessionId, `nobody in the directory has skill "${address.skill}"`);
    throw new PresenterUnresolvableError(sessionId, `nobody with skill "${address.skill}" can be asked: ${describe(choice)}`);
  }

  /**
   * Asks the first candidate of `address` for the session under `bookingId`, on the organiser's
   * authority (or the formal manager's). Null when nobody may be asked now or nobody may book.
   */
  async staff(session: ExistingSession, address: PresenterAddress, bookingId: string, context: Omit<CommandContext, 'actorId'>): Promise<BookingResult | null> {
    const stamp = bookingStampFor(this.authority, session.organiserId, session.unitId);
    if (!stamp) return null;
    const { chosen } = await this.choose(session, address);
    if (!chosen) return null;
    try {
      return await this.bookings.request({ bookingId, sessionId: session.sessionId, personId: chosen.personId, resolution: chosen.resolution, stamp }, { ...context, actorId: PRESENTERS_ACTOR });
    } catch (error) {
      // Became busy or absent between the choice and the request: nothing was written, the next pass chooses again.
      if (error instanceof DomainRuleError) return null;
      throw error;
    }
  }

  /** After `ended` (declined, expired, released for an absence): the next candidate, if the session still needs one. */
  async moveOn(ended: Pick<ExistingBooking, 'bookingId' | 'sessionId'>, context: Omit<CommandContext, 'actorId'>): Promise<BookingResult | null> {
    await this.board.catchUp();
    const session = this.board.session(ended.sessionId);
    if (!session) return null;
    const follows = bookingToSucceed(session, this.board.bookingsOfSession(session.sessionId), this.now().toISOString());
    if (follows?.bookingId !== ended.bookingId) return null;
    const address = successorAddress(follows.resolution);
    return address ? this.staff(session, address, successorBookingId(follows.bookingId), context) : null;
  }

  /**
   * Releases the open bookings (requested or confirmed, session still to come) of `personIds` — or of
   * everyone — whose person the directory has absent during the session, and moves each session on.
   * Decided from the current state: a repeated call releases nothing twice.
   */
  async releaseAbsent(personIds: readonly string[] | 'all', context: Omit<CommandContext, 'actorId'>): Promise<number> {
    await this.board.catchUp();
    const now = this.now().toISOString();
    const candidates =
      personIds === 'all'
        ? this.board
            .allSessions()
            .filter((session) => session.status === 'scheduled' && isBefore(now, session.from))
            .flatMap((session) => this.board.bookingsOfSession(session.sessionId))
        : personIds.flatMap((personId) => this.board.bookingsOf(personId));
    const absences = new Map<string, readonly { from: string; to: string }[]>();
    let released = 0;
    for (const booking of candidates) {
      if (!OPEN_BOOKING_STATUSES.includes(booking.status) || !isBefore(now, booking.from)) continue;
      if (this.board.session(booking.sessionId)?.status !== 'scheduled') continue;
      if (!absences.has(booking.personId)) absences.set(booking.personId, (await this.people.person(booking.personId))?.absences ?? []);
      if (!(absences.get(booking.personId) ?? []).some((absence) => overlaps(absence, booking))) continue;
      await this.bookings.release(booking.bookingId, null, null, { ...context, actorId: PRESENTERS_ACTOR }, 'presenter-absent');
      released += 1;
      await this.moveOn(booking, context);
    }
    return released;
  }

  /** Every session whose latest booking calls for a successor gets one, if anyone may be asked (the reminders worker's pass). */
  async sweep(context: Omit<CommandContext, 'actorId'>): Promise<number> {
    await this.board.catchUp();
    const now = this.now().toISOString();
    let asked = 0;
    for (const session of this.board.allSessions()) {
      const follows = bookingToSucceed(session, this.board.bookingsOfSession(session.sessionId), now);
      if (!follows || successorAddress(follows.resolution) === null) continue;
      if (await this.moveOn(follows, context)) asked += 1;
    }
    return asked;
  }

  private async factsOf(personId: string): Promise<CandidateFacts> {
    const [person, calendar] = await Promise.all([this.people.person(personId), readAggregate(this.store, presenterDecider, presenterStreamName(personId))]);
    return { absences: person?.absences ?? [], confirmed: calendar.state.slots };
  }
}

const describe = (choice: PresenterChoice): string => choice.passedOver.map(({ personId, reason }) => `${personId} (${reason})`).join(', ');
