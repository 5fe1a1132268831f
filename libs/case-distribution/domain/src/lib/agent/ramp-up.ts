import { millis, MS_PER_HOUR } from '../shared/instant';

/*
 * Ramp-up after an absence. Users of the routing tools we learn from complain that a colleague
 * back from leave is flooded with a full capacity of cases while catching up on mail, changes and
 * handovers. So a returning agent gets half their capacity for the first two hours (room to catch
 * up, but they still take work), then a linear climb to the full capacity at four hours: a
 * step from 50% to 100% would flood them a second time, at the two-hour mark.
 */

/** Share of the capacity right after the return. */
export const RAMP_UP_START_SHARE = 0.5;
/** How long the start share holds. */
export const RAMP_UP_HOLD_HOURS = 2;
/** When the full capacity is back. */
export const RAMP_UP_FULL_HOURS = 4;
/**
 * Only absences at least a working day long ramp up: after a dentist's appointment there is
 * nothing to catch up on.
 */
export const RAMP_UP_MIN_ABSENCE_HOURS = 8;

/** The share of capacity (0.5..1) an agent has `now`, back from an absence at `returnedAt` (null: not returning). */
export function rampUpShare(returnedAt: string | null, now: string): number {
  if (returnedAt === null) return 1;
  const hours = (millis(now) - millis(returnedAt)) / MS_PER_HOUR;
  if (hours < 0) return 1;
  if (hours < RAMP_UP_HOLD_HOURS) return RAMP_UP_START_SHARE;
  if (hours >= RAMP_UP_FULL_HOURS) return 1;
  const climbed = (hours - RAMP_UP_HOLD_HOURS) / (RAMP_UP_FULL_HOURS - RAMP_UP_HOLD_HOURS);
  return RAMP_UP_START_SHARE + (1 - RAMP_UP_START_SHARE) * climbed;
}

/**
 * The capacity routing may fill `now`, in whole weight units. Rounded up: a ramp that leaves an
 * agent of capacity 1 with nothing would be a longer absence, not a ramp.
 */
export function effectiveCapacity(capacity: number, returnedAt: string | null, now: string): number {
  return Math.ceil(capacity * rampUpShare(returnedAt, now));
}
