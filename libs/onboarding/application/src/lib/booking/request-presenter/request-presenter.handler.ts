import { deterministicId, DomainRuleError, type CommandContext } from '@leadership/kernel';
import { SessionNotFoundError, type DecisionStamp, type PresenterAddress } from '@leadership/onboarding-domain';
import type { OnboardingAuthority } from '../../authority/onboarding-authority.port';
import type { OnboardingBoard } from '../../board/onboarding-board';
import { PresenterRequestPendingError } from '../../shared/onboarding-commands';
import type { BookingResult, PresenterBookings } from '../presenter-bookings/presenter-bookings';
import type { PresenterChoices } from '../presenter-choices/presenter-choices';

/** What an automatic booking did for one session (generation and plan edits answer it per step). */
export interface AutomaticBooking {
  readonly sessionId: string;
  readonly bookingId: string | null;
  readonly personId: string | null;
  /** Why nobody was asked (no holder of the role, the person is busy, …): the organiser acts. */
  readonly problem: { readonly rule: string; readonly detail: string } | null;
}

/**
 * `POST /sessions/{id}/presenter-requests` (authority `onboarding.book-presenter` in the session's
 * unit, or formal management of it), and the automatic booking of a session step with a presenter
 * when a plan is generated or edited. A role address ("the case manager of support") is resolved
 * now from the mandates in force and the resolution (mandate id and version) is stored with the
 * booking, so the booking can be recognised and moved when the role changes hands; a skill address
 * asks the least booked person with the skill who may be asked then (`PresenterChoices`).
 */
export class RequestPresenterHandler {
  constructor(
    private readonly bookings: PresenterBookings,
    private readonly board: OnboardingBoard,
    private readonly authority: OnboardingAuthority,
    private readonly choices: PresenterChoices,
    private readonly newId: () => string,
  ) {}

  async execute(input: { readonly sessionId: string; readonly address: PresenterAddress }, context: CommandContext): Promise<BookingResult> {
    await this.board.catchUp();
    const session = this.board.session(input.sessionId);
    if (!session) throw new SessionNotFoundError(input.sessionId);
    const stamp = this.authority.authorise(context.actorId, 'onboarding.book-presenter', session.unitId);
    const open = this.board.openBookingOf(input.sessionId);
    if (open) throw new PresenterRequestPendingError(input.sessionId, open.bookingId, open.personId);
    const { personId, resolution } = await this.choices.resolve(session, input.address);
    // A retried request (same Idempotency-Key) names the same booking; otherwise a new one.
    const bookingId = context.idempotencyKey ? deterministicId('onboarding-booking', context.idempotencyKey, input.sessionId) : this.newId();
    return this.bookings.request({ bookingId, sessionId: input.sessionId, personId, resolution, stamp }, context);
  }

  /**
   * Books the presenter of a session decided by `stamp` (plan generation or edit). The booking id
   * derives from the session, the person and how they were found, so a retried generation asks
   * once. A rule that stops the request (nobody holds the role, the person is busy) is answered,
   * not thrown: the plan stands, and the overview lists the session without a presenter.
   */
  async bookAutomatically(sessionId: string, address: PresenterAddress, stamp: DecisionStamp, context: CommandContext): Promise<AutomaticBooking> {
    try {
      const open = this.board.openBookingOf(sessionId);
      if (open) return { sessionId, bookingId: open.bookingId, personId: open.personId, problem: null };
      const session = this.board.session(sessionId);
      if (!session) throw new SessionNotFoundError(sessionId);
      const { personId, resolution } = await this.choices.resolve(session, address);
      const basis = resolution.basis === 'role' ? [resolution.mandateId, String(resolution.mandateVersion)] : [resolution.basis];
      const bookingId = deterministicId('onboarding-booking', sessionId, personId, ...basis);
      await this.bookings.request({ bookingId, sessionId, personId, resolution, stamp }, context);
      return { sessionId, bookingId, personId, problem: null };
    } catch (error) {
      if (error instanceof DomainRuleError) return { sessionId, bookingId: null, personId: null, problem: { rule: error.rule, detail: error.message } };
      throw error;
    }
  }
}
