/*
 * ISO-8601 instants as they travel on commands and events. The domain never reads the clock:
 * every instant is given. These helpers only parse, compare and shift given instants.
 */

const MS_PER_DAY = 86_400_000;

/** Date-time with an explicit offset; a bare date or a local time is ambiguous across services. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** Milliseconds since the epoch of a valid instant (callers validate first; NaN otherwise). */
export function toMillis(instant: string): number {
  return Date.parse(instant);
}

/** Deterministic: formats the given instant, it does not read the clock. */
export function fromMillis(millis: number): string {
  return new Date(millis).toISOString();
}

export function addDays(instant: string, days: number): string {
  return fromMillis(toMillis(instant) + days * MS_PER_DAY);
}

export function daysToMillis(days: number): number {
  return days * MS_PER_DAY;
}

/** -1, 0 or 1; instants in different offsets compare by the moment they denote. */
export function compareInstants(a: string, b: string): number {
  return Math.sign(toMillis(a) - toMillis(b));
}

export function isBefore(a: string, b: string): boolean {
  return toMillis(a) < toMillis(b);
}

export function isAtOrAfter(a: string, b: string): boolean {
  return toMillis(a) >= toMillis(b);
}
