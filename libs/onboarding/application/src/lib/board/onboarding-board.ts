import { evolveRecorded, StoreFollower, type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';
import { categoryOf, idOf } from '@leadership/kernel';
import {
  BOOKING_STREAM_CATEGORY,
  bookingDecider,
  OPEN_BOOKING_STATUSES,
  PLAN_STREAM_CATEGORY,
  planDecider,
  PROGRAMME_STREAM_CATEGORY,
  REMINDER_STREAM_CATEGORY,
  SESSION_STREAM_CATEGORY,
  sessionDecider,
  type ExistingBooking,
  type ExistingPlan,
  type ExistingSession,
  type ProgrammeEvent,
} from '@leadership/onboarding-domain';

const CATEGORIES = [PLAN_STREAM_CATEGORY, SESSION_STREAM_CATEGORY, BOOKING_STREAM_CATEGORY, REMINDER_STREAM_CATEGORY, PROGRAMME_STREAM_CATEGORY] as const;

/**
 * The context's plans, sessions and bookings in memory, folded by their deciders (the one reader)
 * from the service's own event store: `catchUp()` reads everything committed after the last event
 * applied, so a caller that catches up first sees every committed fact, its own writes included.
 * It answers the questions that join aggregates — a unit's overview, a person's bookings and
 * calendar, the work an organiser owns, the sessions a role presents — and the reminders already
 * fired, and since when each unit does onboarding (its first programme). Rebuilt from the store on
 * start; memory follows the number of plans (bounded per unit).
 */
export class OnboardingBoard {
  private readonly plans = new Map<string, ExistingPlan>();
  private readonly sessions = new Map<string, ExistingSession>();
  private readonly bookings = new Map<string, ExistingBooking>();
  private readonly bookingsByPerson = new Map<string, Set<string>>();
  private readonly bookingsBySession = new Map<string, Set<string>>();
  private readonly fired = new Set<string>();
  /** Unit id → when its first programme was defined. */
  private readonly programmesSince = new Map<string, string>();
  private readonly follower: StoreFollower;

  constructor(store: Pick<ReadOnlyEventStore, 'readAll'>) {
    this.follower = new StoreFollower(store, CATEGORIES, (event) => this.apply(event));
  }

  get position(): bigint | undefined {
    return this.follower.position;
  }

  /** Applies everything committed before the call (concurrent callers: see StoreFollower). */
  catchUp(): Promise<void> {
    return this.follower.catchUp();
  }

  /** Folds one recorded event in (the follower hands each event over once, in order). */
  private apply(event: RecordedEvent): void {
    const id = idOf(event.streamName);
    switch (categoryOf(event.streamName)) {
      case PLAN_STREAM_CATEGORY: {
        const after = evolveRecorded(planDecider, this.plans.get(id) ?? planDecider.initialState(), event);
        if (after.status !== 'none') this.plans.set(id, after);
        return;
      }
      case SESSION_STREAM_CATEGORY: {
        const after = evolveRecorded(sessionDecider, this.sessions.get(id) ?? sessionDecider.initialState(), event);
        if (after.status !== 'none') this.sessions.set(id, after);
        return;
      }
      case BOOKING_STREAM_CATEGORY: {
        const after = evolveRecorded(bookingDecider, this.bookings.get(id) ?? bookingDecider.initialState(), event);
        if (after.status === 'none') return;
        this.bookings.set(id, after);
        index(this.bookingsByPerson, after.personId, id);
        index(this.bookingsBySession, after.sessionId, id);
        return;
      }
      case REMINDER_STREAM_CATEGORY:
        this.fired.add(id);
        return;
      case PROGRAMME_STREAM_CATEGORY: {
        if (event.type !== 'ProgrammeDefined') return;
        const { unitId, at } = event.data as ProgrammeEvent['data'];
        const since = this.programmesSince.get(unitId);
        if (since === undefined || Date.parse(at) < Date.parse(since)) this.programmesSince.set(unitId, at);
        return;
      }
      default:
        return;
    }
  }

  plan(newcomerId: string): ExistingPlan | undefined {
    return this.plans.get(newcomerId);
  }

  session(sessionId: string): ExistingSession | undefined {
    return this.sessions.get(sessionId);
  }

  booking(bookingId: string): ExistingBooking | undefined {
    return this.bookings.get(bookingId);
  }

  allPlans(): ExistingPlan[] {
    return [...this.plans.values()];
  }

  allSessions(): ExistingSession[] {
    return [...this.sessions.values()];
  }

  plansOfUnit(unitId: string): ExistingPlan[] {
    return this.allPlans().filter((plan) => plan.unitId === unitId);
  }

  sessionsOfUnit(unitId: string): ExistingSession[] {
    return this.allSessions().filter((session) => session.unitId === unitId);
  }

  /** A person's bookings, oldest request first. */
  bookingsOf(personId: string): ExistingBooking[] {
    return [...(this.bookingsByPerson.get(personId) ?? [])].flatMap((id) => this.bookings.get(id) ?? []).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.bookingId.localeCompare(b.bookingId));
  }

  /** A session's bookings in the order they were requested (the store's order). */
  bookingsOfSession(sessionId: string): ExistingBooking[] {
    return [...(this.bookingsBySession.get(sessionId) ?? [])].flatMap((id) => this.bookings.get(id) ?? []);
  }

  /** The requested or confirmed booking of a session (at most one: a new request waits until it ended). */
  openBookingOf(sessionId: string): ExistingBooking | undefined {
    return this.bookingsOfSession(sessionId).find((booking) => OPEN_BOOKING_STATUSES.includes(booking.status));
  }

  /** Sessions a person presents, attends or organises (their calendar). */
  sessionsOfPerson(personId: string): ExistingSession[] {
    return this.allSessions().filter((session) => session.presenterId === personId || session.organiserId === personId || session.attendeeIds.includes(personId));
  }

  /** When the unit's first programme was defined (the unit does onboarding here since), if ever. */
  onboardingSince(unitId: string): string | undefined {
    return this.programmesSince.get(unitId);
  }

  hasFired(reminderId: string): boolean {
    return this.fired.has(reminderId);
  }
}

function index(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(id);
  map.set(key, set);
}
