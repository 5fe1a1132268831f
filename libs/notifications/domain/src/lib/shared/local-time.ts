import { isKnownTimeZone, wallClockAt, zonedEpoch } from '@leadership/kernel';
import { MINUTE_MS } from './instant';

/*
 * Notifications' vocabulary for a person's wall clock: weekdays as the API spells them, calendar
 * dates as numbers, times of day as minutes after midnight. The conversions themselves (instant →
 * wall clock, wall clock → instant with Temporal's `compatible` disambiguation: a gap moves forward
 * by its length, an overlap takes the earlier instant, so "07:00 in Stockholm" is always a real,
 * single moment) are the kernel's `zoned-time`, shared with onboarding's plans.
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

/**
 * True for a time zone the runtime knows (an IANA name such as `Europe/Stockholm`, or `UTC`).
 * Broader than onboarding's plan zones: legacy names the runtime knows (`EST5EDT`) are accepted,
 * as they always were for preferences already stored.
 */
export function isTimeZone(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && isKnownTimeZone(value);
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
  const { year, month, day, hour, minute } = wallClockAt(epochMillis, timeZone);
  const msIntoMinute = ((epochMillis % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
  return { year, month, day, hour, minute, weekday: weekdayOf({ year, month, day }), msIntoMinute };
}

/**
 * The instant (epoch milliseconds) at which the wall clock in `timeZone` shows `date` at
 * `minuteOfDay` (0..1439): the kernel's `zonedEpoch`, so 02:30 on the March change in Stockholm is
 * 03:30 CEST and a time that occurs twice in autumn is its first occurrence.
 */
export const zonedInstant = (date: LocalDate, minuteOfDay: number, timeZone: string): number =>
  zonedEpoch(Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay), timeZone);

/** `HH:MM` (00:00..23:59) as minutes after midnight, or undefined when it is not one. */
export function parseLocalTime(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}
