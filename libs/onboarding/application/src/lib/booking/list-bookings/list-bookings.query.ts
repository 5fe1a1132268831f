import type { ExistingBooking } from '@leadership/onboarding-domain';
import type { OnboardingBoard } from '../../board/onboarding-board';

/**
 * `GET /bookings?personId=`: a person's bookings, every answer kept (from the board, caught up
 * first), each with its session's unit; `mayView` filters by unit (who may see whose bookings is
 * the caller's rule).
 */
export class ListBookingsQuery {
  constructor(private readonly board: OnboardingBoard) {}

  async execute(personId: string, mayView: (unitId: string) => boolean): Promise<{ booking: ExistingBooking; unitId: string }[]> {
    await this.board.catchUp();
    return this.board.bookingsOf(personId).flatMap((booking) => {
      const unitId = this.board.session(booking.sessionId)?.unitId;
      return unitId !== undefined && mayView(unitId) ? [{ booking, unitId }] : [];
    });
  }
}
