import { MINUTE_MS } from './instant';

/*
 * Wall-clock arithmetic in a person's time zone without a clock or a time-zone library:
 * `Intl.DateTimeFormat` with `timeZone` knows the IANA rules (it is computation, not I/O). The two
 * directions are: instant → local wall clock (one answer), and local wall clock → instant, which
 * has no answer in a spring-forward gap and two in an autumn overlap; it is resolved as Temporal's
 * `compatible` disambiguation does (a gap moves forward by its length, an overlap takes the
 * earlier instant), so "07:00 in Stockholm" is always a real, single moment.
 */

/** Days of the week as the API spells them; index 0 is Monday (ISO 8601). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A calendar date in some zone. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The wall clock of an instant in a zone, to the minute (send windows and digests need no finer). */
export interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly weekday: Weekday;
  /** Milliseconds past the local minute (to floor an instant to its local hour). */
  readonly msIntoMinute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-US with h23: numeric parts in a fixed shape whatever the person's locale.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for a time zone the runtime knows (an IANA name such as `Europe/Stockholm`, or `UTC`). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.trim() === '') return false;
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
}

/** Day of the week of a calendar date (proleptic Gregorian), Monday first. */
export function weekdayOf(date: LocalDate): Weekday {
  const sundayFirst = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return WEEKDAYS[(sundayFirst + 6) % 7] as Weekday;
}

/** The calendar date `days` later (negative: earlier). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The wall clock in `timeZone` at the instant `epochMillis`. */
export function localDateTime(epochMillis: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMillis))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const date = { year: parts['year'] ?? 0, month: parts['month'] ?? 0, day: parts['day'] ?? 0 };
  const msIntoMinute = (((epochMillis % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
  return { ...date, hour: parts['hour'] ?? 0, minute: parts['minute'] ?? 0, weekday: weekdayOf(date), msIntoMinute };
}

/** Offset of the zone from UTC at an instant, in milliseconds (Stockholm in summer: +2 h). */
function offsetAt(epochMillis: number, timeZone: string): number {
  const local = localDateTime(epochMillis, timeZone);
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  return wall - (epochMillis - local.msIntoMinute);
}

const DAY_MS = 86_400_000;

/**
 * The instant at which the wall clock in `timeZone` shows `date` at `minuteOfDay` (0..1439).
 * A time inside a spring-forward gap moves forward by the gap (02:30 on the March change in
 * Stockholm is 03:30 CEST); a time that occurs twice in autumn is its first occurrence.
 */
export function zonedInstant(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  // Transitions are at most one a day: the offsets a day before and after are the two candidates.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => offsetAt(t, timeZone) === wall - t);
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: read the wall time with the offset in force before it, which lands after the gap.
  return wall - before;
}

/** `HH:MM` (00:00..23:59) as minutes after midnight, or undefined when it is not one. */
export function parseLocalTime(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}
