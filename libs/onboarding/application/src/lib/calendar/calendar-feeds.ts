import { DomainRuleError, sha256Hex } from '@leadership/kernel';
import { personalFeed, sessionCalendarEvent, type CalendarParty, type SessionCalendarEvent } from '@leadership/icalendar';
import type { OnboardingBoard } from '../board/onboarding-board';

/**
 * Where the feed tokens live. Only a hash is stored: a leaked database does not open anyone's
 * calendar, and a token cannot be shown again (rotating makes a new one).
 */
export interface CalendarTokenStore {
  save(personId: string, tokenHash: string, at: string): Promise<void>;
  hashOf(personId: string): Promise<string | undefined>;
  revoke(personId: string): Promise<void>;
}

/** No feed for this person with this token (wrong, rotated or revoked: the same answer, nothing to probe). */
export class CalendarFeedNotFoundError extends DomainRuleError {
  override readonly name = 'CalendarFeedNotFoundError';
  constructor(readonly personId: string) {
    super('calendar.feed-not-found', `no calendar feed for ${personId} with this token (rotated or revoked?)`, { personId });
  }
}

/** SHA-256 of the token: tokens are 256-bit random, so a plain hash suffices (no password to stretch). */
export const feedTokenHash = (token: string): string => sha256Hex(`onboarding-calendar-feed:${token}`);

/**
 * The per-person subscribable calendar (`GET /calendars/{personId}.ics?token=…`): every scheduled
 * session the person presents, attends or organises, as RFC 5545 with stable UIDs and the
 * sessions' SEQUENCE. `POST /calendars/{personId}/token` rotates the secret (the old URL stops
 * working at once); `DELETE` revokes it.
 */
export class CalendarFeeds {
  constructor(
    private readonly board: OnboardingBoard,
    private readonly tokens: CalendarTokenStore,
    private readonly partyOf: (personId: string) => CalendarParty | undefined,
    private readonly newToken: () => string,
    private readonly now: () => Date,
  ) {}

  async rotate(personId: string): Promise<{ token: string }> {
    const token = this.newToken();
    await this.tokens.save(personId, feedTokenHash(token), this.now().toISOString());
    return { token };
  }

  revoke(personId: string): Promise<void> {
    return this.tokens.revoke(personId);
  }

  async feed(personId: string, token: string): Promise<string> {
    const stored = await this.tokens.hashOf(personId);
    if (stored === undefined || stored !== feedTokenHash(token)) throw new CalendarFeedNotFoundError(personId);
    await this.board.catchUp();
    const events = this.board
      .sessionsOfPerson(personId)
      .map((session) => sessionCalendarEvent(session, this.partyOf))
      .filter((event): event is SessionCalendarEvent => event !== undefined);
    return personalFeed(`Onboarding – ${personId}`, events, this.now().toISOString());
  }
}
