import { isKnownTimeZone, wallClockAt, zonedEpoch, zonedEpochs } from '@leadership/kernel';
import { DAY_MS, instantAt } from './instant';

/*
 * Programmes speak in the newcomer's wall clock ("day 3 at 09:30"), events in instants. This file is
 * onboarding's vocabulary for it: dates `YYYY-MM-DD`, times `HH:MM`, instants as canonical ISO text.
 * The conversion itself (DST gap: moved forward by its length; overlap: the first occurrence, as
 * RFC 5545 §3.3.5 and Temporal's `compatible` say) is the kernel's `zoned-time`, shared with
 * notifications' send windows.
 */

const LOCAL_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * A zone a plan may be in: an IANA name the runtime knows (`Europe/Stockholm`, `UTC`). Offsets such
 * as `+01:00` are not zones (they ignore DST), nor are names that do not look like IANA's
 * `Area/Location` (legacy `EST5EDT`, `GMT+0`), though the runtime knows those.
 */
export function isTimeZone(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value) && isKnownTimeZone(value);
}

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is not one). */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const isLocalTime = (value: unknown): value is string => typeof value === 'string' && LOCAL_TIME.test(value);

/**
 * The wall clock `YYYY-MM-DDTHH:MM` as if it were UTC: a number to do day and minute arithmetic on.
 * Read at fixed positions (the forms above; splitting into arrays was a fifth of scheduling a plan).
 */
function wallMillis(date: string, time: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), Number(time.slice(0, 2)), Number(time.slice(3, 5)));
}

/** The calendar date `days` later (negative: earlier); days, not 24-hour periods. */
export function plusDays(date: string, days: number): string {
  return instantAt(wallMillis(date, '00:00') + days * DAY_MS).slice(0, 10);
}

/** Whole calendar days from `a` to `b` (positive when `b` is later). */
export const daysBetween = (a: string, b: string): number => Math.round((wallMillis(b, '00:00') - wallMillis(a, '00:00')) / DAY_MS);

const two = (n: number): string => String(n).padStart(2, '0');

/** The local date and time (to the minute) of an instant in `timeZone`. */
export function localDateTimeOf(epochMillis: number, timeZone: string): { readonly date: string; readonly time: string } {
  const { year, month, day, hour, minute } = wallClockAt(epochMillis, timeZone);
  return { date: `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`, time: `${two(hour)}:${two(minute)}` };
}

/** The local calendar date of an instant in `timeZone`. */
export const localDateOf = (instant: string, timeZone: string): string => localDateTimeOf(Date.parse(instant), timeZone).date;

/** The instant at which the wall clock in `timeZone` shows `date` at `time` (the kernel's `zonedEpoch`: gap forward, overlap first). */
export const zonedInstant = (date: string, time: string, timeZone: string): string => instantAt(zonedEpoch(wallMillis(date, time), timeZone));

/** {@link zonedInstant} in one zone, for many wall times. */
export type ZonedInstant = (date: string, time: string) => string;

/**
 * {@link zonedInstant} for every step of a plan: the kernel's `zonedEpochs`, which reads each zone
 * offset once for the whole plan (the `onboarding-plan` bench's budget). Same answers as `zonedInstant`.
 */
export function zonedInstants(timeZone: string): ZonedInstant {
  const epochOf = zonedEpochs(timeZone);
  return (date, time) => instantAt(epochOf(wallMillis(date, time)));
}
