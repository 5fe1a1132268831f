/*
 * Instants travel as ISO-8601 strings with an offset on every command and event; the domain never
 * reads a clock. These helpers only parse, compare and shift the instants they are given.
 */

/** Date-time with an explicit offset: a local time means different moments in different services. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const MS_PER_SECOND = 1_000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;

export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** Milliseconds since the epoch (NaN for a string that is not an instant; callers validate first). */
export const millis = (instant: string): number => Date.parse(instant);

/** Formats a given moment; deterministic, it does not read the clock. */
export const instantOf = (epochMillis: number): string => new Date(epochMillis).toISOString();

export const plusMillis = (instant: string, ms: number): string => instantOf(millis(instant) + ms);

/** True when `a` is strictly before `b`; instants in different offsets compare by the moment they denote. */
export const earlier = (a: string, b: string): boolean => millis(a) < millis(b);

/** Half-open period `[from, to)`: contains `from`, not `to` (a period ending at 12:00 is over at 12:00). */
export interface Period {
  readonly from: string;
  readonly to: string;
}

export const within = (period: Period, at: string): boolean => !earlier(at, period.from) && earlier(at, period.to);

/** A period is valid when both ends are instants and it is not empty. */
export const validPeriod = (period: Period): boolean => isInstant(period.from) && isInstant(period.to) && earlier(period.from, period.to);
