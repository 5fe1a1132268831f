import { epochMs, HOUR_MS, MINUTE_MS, toInstant } from '../shared/instant';
import { addDays, localDateTime, zonedInstant } from '../shared/local-time';

/** The local time daily digests go out (the morning summary). */
export const DAILY_DIGEST_MINUTE = 8 * 60;

/** The digest window an e-mail joins: what the digest stream is named after, and when it is sent. */
export interface DigestWindow {
  readonly cadence: 'hourly' | 'daily';
  /**
   * Names the window; stable for every instant inside it. Hourly: the hour's first instant in UTC
   * (a local hour key would name the repeated autumn hour twice); daily: the local date it closes.
   */
  readonly key: string;
  /** ISO instant at which the window closes and its digest may be released. */
  readonly closesAt: string;
}

/**
 * The window `at` falls in, half-open [opens, closesAt): hourly windows are the person's local
 * hours (a +05:30 zone's hours start at :30 UTC), daily windows close at the next 08:00 local
 * strictly after `at` (DST-correct: the window over the March change lasts 23 hours).
 */
export function digestWindow(cadence: 'hourly' | 'daily', timeZone: string, at: string): DigestWindow {
  const moment = epochMs(at);
  const local = localDateTime(moment, timeZone);
  if (cadence === 'hourly') {
    const opens = moment - local.minute * MINUTE_MS - local.msIntoMinute;
    return { cadence, key: `hourly/${toInstant(opens)}`, closesAt: toInstant(opens + HOUR_MS) };
  }
  const todayAtEight = zonedInstant(local, DAILY_DIGEST_MINUTE, timeZone);
  const date = moment < todayAtEight ? local : addDays(local, 1);
  const closes = moment < todayAtEight ? todayAtEight : zonedInstant(date, DAILY_DIGEST_MINUTE, timeZone);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return { cadence, key: `daily/${date.year}-${pad(date.month)}-${pad(date.day)}`, closesAt: toInstant(closes) };
}

/** The window after `window`: where a notification goes whose window was released without it. */
export const nextDigestWindow = (window: DigestWindow, timeZone: string): DigestWindow => digestWindow(window.cadence, timeZone, window.closesAt);
