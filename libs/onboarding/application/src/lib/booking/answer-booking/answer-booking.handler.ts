import type { CommandContext } from '@leadership/kernel';
import type { BookingResult, PresenterBookings } from '../presenter-bookings/presenter-bookings';
import type { PresenterChoices } from '../presenter-choices/presenter-choices';

/**
 * `POST /bookings/{id}/accept|decline`: the asked colleague answers (the decider refuses anyone
 * else, 403 in HTTP terms). Accepting runs the calendar protocol, so a person confirmed on an
 * overlapping session meanwhile is refused with 409 naming that booking, and a person absent then
 * cannot confirm. Declining (or withdrawing) moves the session on to its next candidate at once; if
 * that is interrupted, the reminders worker's next pass makes it up.
 */
export class AnswerBookingHandler {
  constructor(
    private readonly bookings: PresenterBookings,
    private readonly choices: PresenterChoices,
  ) {}

  accept(bookingId: string, context: CommandContext): Promise<BookingResult> {
    return this.bookings.accept(bookingId, context);
  }

  async decline(bookingId: string, reason: string, context: CommandContext): Promise<BookingResult> {
    const declined = await this.bookings.decline(bookingId, reason, context);
    const { correlationId, causationId, traceparent } = context;
    await this.choices.moveOn(declined.booking, { ...(correlationId ? { correlationId } : {}), ...(causationId ? { causationId } : {}), ...(traceparent ? { traceparent } : {}) });
    return declined;
  }
}
