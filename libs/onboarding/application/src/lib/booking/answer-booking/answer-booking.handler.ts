import type { CommandContext } from '@leadership/kernel';
import type { BookingResult, PresenterBookings } from '../presenter-bookings/presenter-bookings';

/**
 * `POST /bookings/{id}/accept|decline`: the asked colleague answers (the decider refuses anyone
 * else, 403 in HTTP terms). Accepting runs the calendar protocol, so a person confirmed on an
 * overlapping session meanwhile is refused with 409 naming that booking.
 */
export class AnswerBookingHandler {
  constructor(private readonly bookings: PresenterBookings) {}

  accept(bookingId: string, context: CommandContext): Promise<BookingResult> {
    return this.bookings.accept(bookingId, context);
  }

  decline(bookingId: string, reason: string, context: CommandContext): Promise<BookingResult> {
    return this.bookings.decline(bookingId, reason, context);
  }
}
