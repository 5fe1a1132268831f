import { DAY_MS, instantAt, MINUTE_MS } from './instant';

/*
 * Programmes speak in the newcomer's wall clock ("day 3 at 09:30"), events in instants. Turning one
 * into the other is pure arithmetic over the IANA rules that `Intl.DateTimeFormat` carries (no
 * clock, no I/O, no time-zone library). A local time has no instant inside a spring-forward gap and
 * two in an autumn overlap; both are resolved as RFC 5545 §3.3.5 (and Temporal's `compatible`)
 * resolve them: a time in the gap is read with the offset before the gap (so it lands after it),
 * a time that occurs twice is its first occurrence. Dates are `YYYY-MM-DD`, times `HH:MM`.
 */

const LOCAL_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone (building one is the costly part); en-US and h23 give fixed numeric parts. */
function wallClock(timeZone: string): Intl.DateTimeFormat {
  const known = wallClocks.get(timeZone);
  if (known) return known;
  const created = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  wallClocks.set(timeZone, created);
  return created;
}

/** An IANA zone the runtime knows (`Europe/Stockholm`, `UTC`); offsets such as `+01:00` are not zones (they ignore DST). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    wallClock(value);
    return true;
  } catch {
    return false;
  }
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

/** What `format` of the en-US h23 wall clock gives: `MM/DD/YYYY, HH:MM`. */
const FORMATTED = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2})$/;

/**
 * The wall clock's numbers at an instant: year, month, day, hour, minute. Read from `format`'s
 * fixed-position string (scheduling reads a zone a few times per step; `formatToParts` allocates an
 * object per part and was most of a plan's CPU), with `formatToParts` as the fallback for anything
 * the pattern does not cover (a year outside four digits).
 */
function wallNumbers(epochMillis: number, timeZone: string): readonly [number, number, number, number, number] {
  const clock = wallClock(timeZone);
  const match = FORMATTED.exec(clock.format(epochMillis));
  if (match) return [Number(match[3]), Number(match[1]), Number(match[2]), Number(match[4]), Number(match[5])];
  const part: Record<string, number> = {};
  for (const { type, value } of clock.formatToParts(new Date(epochMillis))) part[type] = Number(value);
  return [part['year'] ?? 0, part['month'] ?? 1, part['day'] ?? 1, part['hour'] ?? 0, part['minute'] ?? 0];
}

const two = (n: number): string => String(n).padStart(2, '0');

/** The local date and time (to the minute) of an instant in `timeZone`. */
export function localDateTimeOf(epochMillis: number, timeZone: string): { readonly date: string; readonly time: string } {
  const [year, month, day, hour, minute] = wallNumbers(epochMillis, timeZone);
  return { date: `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`, time: `${two(hour)}:${two(minute)}` };
}

/** The local calendar date of an instant in `timeZone`. */
export const localDateOf = (instant: string, timeZone: string): string => localDateTimeOf(Date.parse(instant), timeZone).date;

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds (to the minute). */
function offsetMillis(epochMillis: number, timeZone: string): number {
  const [year, month, day, hour, minute] = wallNumbers(epochMillis, timeZone);
  return Date.UTC(year, month - 1, day, hour, minute) - (epochMillis - (((epochMillis % MINUTE_MS) + MINUTE_MS) % MINUTE_MS));
}

/** Reads the zone's offset at an instant (see `offsetMillis`), perhaps from what it read before. */
type OffsetReader = (epochMillis: number) => number;

/**
 * The instant at which the wall clock shows `wall` (see above for the gap and the overlap). Zones
 * change their offset at most once a day, so the offsets a day either side are the only
 * candidates. When they are equal (most days) the one candidate is the answer whatever it reads
 * back, so it is not read: two zone readings, not three.
 */
function instantOfWall(wall: number, offsetAt: OffsetReader): string {
  const before = offsetAt(wall - DAY_MS);
  const after = offsetAt(wall + DAY_MS);
  if (before === after) return instantAt(wall - before);
  // The day changes offset: a candidate is real when the zone shows the wall clock there (both in an overlap: the first wins; neither in a gap).
  const readings = [wall - before, wall - after].filter((candidate) => offsetAt(candidate) === wall - candidate);
  return instantAt(readings.length > 0 ? Math.min(...readings) : wall - before);
}

/** The instant at which the wall clock in `timeZone` shows `date` at `time` (see above for the gap and the overlap). */
export function zonedInstant(date: string, time: string, timeZone: string): string {
  return instantOfWall(wallMillis(date, time), (epochMillis) => offsetMillis(epochMillis, timeZone));
}

/** {@link zonedInstant} in one zone, for many wall times. */
export type ZonedInstant = (date: string, time: string) => string;

/**
 * {@link zonedInstant} for many wall times in one zone (every step of a plan): the zone's offsets
 * are read once per instant and kept for the life of the function. A plan's steps fall on a few
 * days at a few times, and the day after one step is the day before another, so the bench's
 * 40-step plan over two weeks (across the October change) reads its zone 32 times instead of 96
 * (each reading is an Intl format, the bulk of scheduling). Same answers as `zonedInstant`: the
 * memo holds a pure function's results, for one plan, not across plans.
 */
export function zonedInstants(timeZone: string): ZonedInstant {
  const offsets = new Map<number, number>();
  const offsetAt: OffsetReader = (epochMillis) => {
    const known = offsets.get(epochMillis);
    if (known !== undefined) return known;
    const offset = offsetMillis(epochMillis, timeZone);
    offsets.set(epochMillis, offset);
    return offset;
  };
  return (date, time) => instantOfWall(wallMillis(date, time), offsetAt);
}
