/*
 * Wall clock in an IANA zone ↔ instant, the one implementation every context uses (onboarding
 * schedules plan steps with it, notifications its send windows and digest windows). Pure
 * arithmetic over the rules `Intl.DateTimeFormat` carries: no clock, no I/O, no time-zone library.
 *
 * Instant → wall clock has one answer. Wall clock → instant has none inside a spring-forward gap and
 * two in an autumn overlap; both are resolved as Temporal's `compatible` disambiguation (and
 * RFC 5545 §3.3.5) resolve them: a time in the gap is read with the offset in force before the gap,
 * so it moves forward by the gap's length (02:30 on the March change in Stockholm is 03:30 CEST,
 * 02:15 on Lord Howe's October change is 02:45), and a time that occurs twice is its first (earlier)
 * occurrence.
 *
 * Everything is to the minute, and numbers, not strings: instants are epoch milliseconds, and a
 * wall clock to convert is given as `wallMillis`, its reading taken as if it were UTC
 * (`Date.UTC(year, month - 1, day, hour, minute)`), a number that day and minute arithmetic works on.
 * Each context keeps its own vocabulary (text dates, weekdays, minutes of the day) on top.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The wall clock of an instant in a zone, to the minute; `month` and `day` count from 1. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per zone, kept (building one costs far more than formatting with it); en-US with
 * h23 and 2-digit fields gives the fixed-position string that `wallClockAt` reads. Throws a
 * RangeError for a zone the runtime does not know.
 */
function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
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

/** A UTC offset written as a zone (`+01:00`, `-0500`, `+01`): Node 24's Intl takes these, Node 20's does not. */
const OFFSET_ZONE = /^[+-]\d/;

/**
 * True when the runtime's IANA data knows `timeZone` (what `Intl.DateTimeFormat` accepts: IANA names
 * in any letter case, `UTC`, legacy names such as `EST5EDT`). What a context accepts as a person's
 * zone is its own rule, built on this one.
 *
 * UTC offsets written as zones are refused on every runtime: Node 24 accepts `+01:00` where Node 20
 * throws, and a zone stored through one instance must mean the same to every other (development
 * runs Node 20, production Node 24). An offset has no DST rules either; `Etc/GMT-1` says the same.
 */
export function isKnownTimeZone(timeZone: string): boolean {
  if (OFFSET_ZONE.test(timeZone)) return false;
  try {
    wallClockFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** What `format` of the en-US h23 wall clock gives: `MM/DD/YYYY, HH:MM`. */
const FORMATTED = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2})$/;

/**
 * The wall clock in `timeZone` at the instant `epochMillis`. Read from `format`'s fixed-position
 * string: scheduling a plan reads a zone a few times per step, and `formatToParts` (an object per
 * part) was most of a plan's CPU. `formatToParts` stays the fallback for what the pattern does not
 * cover (a year outside four digits).
 */
export function wallClockAt(epochMillis: number, timeZone: string): WallClock {
  const format = wallClockFormat(timeZone);
  const match = FORMATTED.exec(format.format(epochMillis));
  if (match) return { year: Number(match[3]), month: Number(match[1]), day: Number(match[2]), hour: Number(match[4]), minute: Number(match[5]) };
  const part: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(new Date(epochMillis))) part[type] = Number(value);
  return { year: part['year'] ?? 0, month: part['month'] ?? 1, day: part['day'] ?? 1, hour: part['hour'] ?? 0, minute: part['minute'] ?? 0 };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds (to the minute: Stockholm in summer, +2 h). */
function offsetMillis(epochMillis: number, timeZone: string): number {
  const wall = wallClockAt(epochMillis, timeZone);
  const minuteStart = epochMillis - (((epochMillis % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - minuteStart;
}

/** Reads the zone's offset at an instant (see `offsetMillis`), perhaps from what it read before. */
type OffsetReader = (epochMillis: number) => number;

/**
 * The instant at which the wall clock shows `wallMillis` (gap and overlap: see above). Zones change
 * their offset at most once a day, so the offsets a day either side are the only candidates. When
 * they are equal (most days) that one candidate is the answer whether or not the zone shows the
 * wall clock there (if not, it is read with the offset before, as in a gap), so it is not read back:
 * two zone readings, not three.
 */
function epochOfWall(wallMillis: number, offsetAt: OffsetReader): number {
  const before = offsetAt(wallMillis - DAY_MS);
  const after = offsetAt(wallMillis + DAY_MS);
  if (before === after) return wallMillis - before;
  // The day changes offset: a candidate is real when the zone shows the wall clock there (both in an overlap: the earlier wins; neither in a gap).
  const real = [wallMillis - before, wallMillis - after].filter((candidate) => offsetAt(candidate) === wallMillis - candidate);
  return real.length > 0 ? Math.min(...real) : wallMillis - before;
}

/** The instant (epoch milliseconds) at which the wall clock in `timeZone` shows `wallMillis` (gap and overlap: see above). */
export function zonedEpoch(wallMillis: number, timeZone: string): number {
  return epochOfWall(wallMillis, (epochMillis) => offsetMillis(epochMillis, timeZone));
}

/** {@link zonedEpoch} in one zone, for many wall clocks. */
export type ZonedEpoch = (wallMillis: number) => number;

/**
 * {@link zonedEpoch} for many wall clocks in one zone (every step of a plan): the zone's offset at
 * an instant is read once and kept for the life of the function. Wall times fall on a few days, and
 * the day after one is the day before another, so onboarding's 40-step plan over two weeks reads
 * its zone 32 times instead of 96 (each reading is an Intl format, the bulk of scheduling). Same
 * answers as `zonedEpoch`: the memo holds a pure function's results, for one caller's batch, not
 * for the process (a batch is short; the process would keep every instant ever asked).
 */
export function zonedEpochs(timeZone: string): ZonedEpoch {
  const offsets = new Map<number, number>();
  const offsetAt: OffsetReader = (epochMillis) => {
    const known = offsets.get(epochMillis);
    if (known !== undefined) return known;
    const offset = offsetMillis(epochMillis, timeZone);
    offsets.set(epochMillis, offset);
    return offset;
  };
  return (wallMillis) => epochOfWall(wallMillis, offsetAt);
}
