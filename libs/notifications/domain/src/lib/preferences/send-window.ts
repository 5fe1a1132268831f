import { epochMs, toInstant } from '../shared/instant';
import { addDays, localDateTime, parseLocalTime, weekdayOf, zonedInstant, type LocalDate } from '../shared/local-time';
import type { Preferences, QuietHours } from './preferences';

/*
 * Quiet hours: e-mails wait for the person's send window. All arithmetic is on the wall clock of
 * the person's zone, so a window of 22:00–07:00 ends at 07:00 local on both sides of a DST change
 * (05:00Z in summer, 06:00Z in winter) and the night of the change is an hour shorter or longer.
 */

/** One occurrence of quiet hours: [start, end) as instants. */
interface QuietSpan {
  readonly start: number;
  readonly end: number;
}

/** The occurrence of `quiet` that starts on local `date`, or none when that weekday is not quiet. */
function spanStartingOn(date: LocalDate, quiet: QuietHours, timeZone: string): QuietSpan | undefined {
  const from = parseLocalTime(quiet.from);
  const to = parseLocalTime(quiet.to);
  if (from === undefined || to === undefined || from === to) return undefined;
  if (!quiet.days.includes(weekdayOf(date))) return undefined;
  const endDate = to < from ? addDays(date, 1) : date;
  return { start: zonedInstant(date, from, timeZone), end: zonedInstant(endDate, to, timeZone) };
}

/** The quiet span that contains `at`, if any: it started today or (overnight) yesterday, local time. */
function quietSpanAt(preferences: Preferences, at: number): QuietSpan | undefined {
  const quiet = preferences.quietHours;
  if (!quiet) return undefined;
  const today = localDateTime(at, preferences.timeZone);
  return [addDays(today, -1), today]
    .map((date) => spanStartingOn(date, quiet, preferences.timeZone))
    .find((span) => span !== undefined && span.start <= at && at < span.end);
}

/** True when `at` falls within the person's quiet hours. */
export const inQuietHours = (preferences: Preferences, at: string): boolean => quietSpanAt(preferences, epochMs(at)) !== undefined;

/**
 * The first instant at or after `at` outside quiet hours: `at` itself when it is outside, else the
 * end of the quiet span it falls in. Spans never overlap (each is shorter than a day and starts at
 * the same wall time), but the loop does not rely on it.
 */
export function nextSendWindow(preferences: Preferences, at: string): string {
  let moment = epochMs(at);
  for (let span = quietSpanAt(preferences, moment); span !== undefined; span = quietSpanAt(preferences, moment)) moment = span.end;
  return moment === epochMs(at) ? at : toInstant(moment);
}
