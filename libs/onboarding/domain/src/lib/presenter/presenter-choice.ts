import { deterministicId, DomainRuleError } from '@leadership/kernel';
import type { PresenterResolution, ReleaseCause, RoleStandIn } from '../booking/booking.commands';
import { PresenterDeclinedSessionError } from '../booking/booking.errors';
import { OPEN_BOOKING_STATUSES, type BookingStatus, type ExistingBooking } from '../booking/booking.decider';
import { isBefore, type TimeWindow } from '../shared/instant';
import type { PresenterAddress, RoleAddress } from '../shared/onboarding-vocabulary';
import { refusePresenterConflicts, type PresenterSlot } from './presenter-conflicts';
import { PresenterAttendsSessionError, PresenterDidNotAnswerError } from './presenter.errors';

/*
 * Who to ask to present a session: the candidates of a presenter address in order of preference,
 * the first one who may be asked, and when a booking that ended calls for the next candidate.
 * Pure: the application brings the facts (holders, skills, absences, calendars, earlier bookings).
 */

/** Someone who could present, and how they were found (stored with the booking). */
export interface PresenterCandidate {
  readonly personId: string;
  readonly resolution: PresenterResolution;
}

/** What is known of a candidate: their absences (the directory's) and confirmed sessions (their calendar). */
export interface CandidateFacts {
  readonly absences: readonly TimeWindow[];
  readonly confirmed: readonly PresenterSlot[];
}

export type PassOverReason = 'declined' | 'expired' | 'attendee' | 'absent' | 'busy';

/** A candidate not asked, with the rule that stopped it (the API answers the first one when nobody is asked). */
export interface PassedOver {
  readonly personId: string;
  readonly reason: PassOverReason;
  readonly error: DomainRuleError;
}

export interface PresenterChoice {
  readonly chosen: PresenterCandidate | null;
  readonly passedOver: readonly PassedOver[];
}

/** An earlier booking of the same session, as far as the choice cares. */
export interface EarlierBooking {
  readonly bookingId: string;
  readonly personId: string;
  readonly status: BookingStatus;
  /** Released: why (`presenter-absent` counts as the person's no to the session, like a decline). */
  readonly releaseCause?: ReleaseCause | null;
}

/** The person said no to the session: declined (or withdrew), let a request expire, or was released because they became absent. */
const saidNo = (booking: EarlierBooking): boolean => booking.status === 'declined' || booking.status === 'expired' || (booking.status === 'released' && booking.releaseCause === 'presenter-absent');

/** The holder of a role now (an active mandate), with the deputy their mandate names. */
export interface RoleHolderFacts {
  readonly personId: string;
  readonly mandateId: string;
  readonly mandateVersion: number;
  readonly deputyId: string | null;
}

/**
 * A role's candidates: the holder, then — standing in for them — the deputy named on their mandate,
 * then the unit's formal managers. Nobody holds the role: nobody (the role waits for its next
 * holder, whom the hand-over asks).
 */
export function roleCandidates(role: RoleAddress, holder: RoleHolderFacts | null, formalManagerIds: readonly string[]): PresenterCandidate[] {
  if (!holder) return [];
  const base = { basis: 'role' as const, role: { taskType: role.taskType, unitId: role.unitId }, mandateId: holder.mandateId, mandateVersion: holder.mandateVersion };
  const standIn = (personId: string, as: RoleStandIn): PresenterCandidate => ({ personId, resolution: { ...base, standIn: as } });
  const all = [{ personId: holder.personId, resolution: base }, ...(holder.deputyId ? [standIn(holder.deputyId, 'deputy')] : []), ...formalManagerIds.map((id) => standIn(id, 'formal-manager'))];
  return all.filter((candidate, index) => all.findIndex((other) => other.personId === candidate.personId) === index);
}

/** A skill's candidates: everyone with it, the least booked first (open requests and confirmed sessions), then by id. */
export function skillCandidates(skill: string, people: readonly { readonly personId: string; readonly openBookings: number }[]): PresenterCandidate[] {
  return [...people]
    .sort((a, b) => a.openBookings - b.openBookings || a.personId.localeCompare(b.personId))
    .map(({ personId }) => ({ personId, resolution: { basis: 'skill', skill } }));
}

const isStandIn = (resolution: PresenterResolution): boolean => resolution.basis === 'role' && resolution.standIn !== undefined;

/**
 * The first candidate who may be asked to present `window`. Never asked: who declined this session
 * (or withdrew), who let a request for it expire, an attendee of it (the newcomer), who is absent
 * then or confirmed on another session then. A role's stand-ins (deputy, formal manager) are asked
 * only once the holder said no to this session (declined, let it expire, or was released from it
 * because they became absent) — a holder who is merely busy or absent when first asked leaves the
 * session to the organiser, as when the role is first resolved.
 */
export function choosePresenter(input: {
  readonly window: TimeWindow;
  readonly sessionId: string;
  readonly candidates: readonly PresenterCandidate[];
  readonly earlier: readonly EarlierBooking[];
  readonly attendeeIds: readonly string[];
  readonly facts: ReadonlyMap<string, CandidateFacts>;
}): PresenterChoice {
  const { window, sessionId, candidates, earlier, attendeeIds, facts } = input;
  const passedOver: PassedOver[] = [];
  let holderSaidNo = false;
  for (const candidate of candidates) {
    const { personId, resolution } = candidate;
    // The holder is busy or absent (not a no): the stand-ins wait, the organiser decides.
    if (isStandIn(resolution) && !holderSaidNo) continue;
    const reason = refusal(candidate, { window, sessionId, earlier, attendeeIds, facts });
    if (!reason) return { chosen: candidate, passedOver };
    passedOver.push({ personId, ...reason });
    if (resolution.basis === 'role' && !isStandIn(resolution)) holderSaidNo = earlier.some((booking) => booking.personId === personId && saidNo(booking));
  }
  return { chosen: null, passedOver };
}

function refusal(
  { personId }: PresenterCandidate,
  { window, sessionId, earlier, attendeeIds, facts }: { window: TimeWindow; sessionId: string; earlier: readonly EarlierBooking[]; attendeeIds: readonly string[]; facts: ReadonlyMap<string, CandidateFacts> },
): { reason: PassOverReason; error: DomainRuleError } | undefined {
  const mine = earlier.filter((booking) => booking.personId === personId);
  const declined = mine.find((booking) => booking.status === 'declined');
  if (declined) return { reason: 'declined', error: new PresenterDeclinedSessionError(personId, sessionId, declined.bookingId) };
  const expired = mine.find((booking) => booking.status === 'expired');
  if (expired) return { reason: 'expired', error: new PresenterDidNotAnswerError(personId, sessionId, expired.bookingId) };
  if (attendeeIds.includes(personId)) return { reason: 'attendee', error: new PresenterAttendsSessionError(personId, sessionId) };
  const { absences, confirmed } = facts.get(personId) ?? { absences: [], confirmed: [] };
  try {
    refusePresenterConflicts(personId, '', window, absences, confirmed);
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainRuleError)) throw error;
    return { reason: error.rule === 'presenter.absent' ? 'absent' : 'busy', error };
  }
}

/** The id of the request that follows an ended booking: one successor per booking, so a repeated move asks once. */
export const successorBookingId = (endedBookingId: string): string => deterministicId('onboarding-booking-successor', endedBookingId);

/** Ended bookings after which the next candidate is asked (a released one only when the presenter became absent). */
export function callsForSuccessor(booking: Pick<ExistingBooking, 'status' | 'releaseCause'>): boolean {
  return booking.status === 'declined' || booking.status === 'expired' || (booking.status === 'released' && booking.releaseCause === 'presenter-absent');
}

/**
 * The booking a session's next request follows, if the session needs one now: it is scheduled and
 * has not begun, no request is open, and its latest booking ended by a decline, an expiry or the
 * presenter's absence. A cancelled or role-released booking does not (the plan edit or the hand-over
 * that ended it decides what comes next). `bookings` are the session's in the order they were
 * requested (the store's order: two requests in one millisecond are still ordered).
 */
export function bookingToSucceed(session: { readonly status: 'scheduled' | 'cancelled'; readonly from: string }, bookings: readonly ExistingBooking[], now: string): ExistingBooking | undefined {
  if (session.status !== 'scheduled' || !isBefore(now, session.from)) return undefined;
  if (bookings.some((booking) => OPEN_BOOKING_STATUSES.includes(booking.status))) return undefined;
  const latest = bookings.at(-1);
  return latest && callsForSuccessor(latest) ? latest : undefined;
}

/** Who a successor is found from: the ended booking's address (a person-addressed booking has none — the organiser decides). */
export function successorAddress(resolution: PresenterResolution): PresenterAddress | null {
  switch (resolution.basis) {
    case 'role':
      return { role: resolution.role };
    case 'skill':
      return { skill: resolution.skill };
    default:
      return null;
  }
}
