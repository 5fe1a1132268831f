/** Date-time with an explicit offset: a bare date or a local time would mean different instants on different machines. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch of an ISO-8601 date-time with offset, or undefined when `value` is
 * not one (wrong form, or a form that denotes no instant, e.g. month 13). A replay calls this for
 * every event it reads, so the form every writer of this platform produces
 * (`Date.prototype.toISOString`, `2025-03-01T12:00:00.000Z`) is read digit by digit; any other
 * form goes through the regular expression and `Date.parse`. Both give the same answer (the spec
 * checks them against each other).
 */
export function instantMillis(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const fast = utcMillisOfCanonical(value);
  if (fast !== undefined) return fast;
  if (!ISO_INSTANT.test(value)) return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : millis;
}

/** An ISO-8601 date-time with offset that denotes a real instant (what --at, --from and --to take). */
export function isIsoInstant(value: unknown): value is string {
  return instantMillis(value) !== undefined;
}

const ZERO = 48;

/** The value of `count` decimal digits at `start`, or -1 if one of them is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `YYYY-MM-DDTHH:mm:ss.sssZ` only, with every field in the range `Date.parse` accepts without
 * question (month 1–12, day 1–31, hour 0–23, minute and second 0–59); undefined for anything else,
 * which the caller then parses the slow way. Days past a month's end (Feb 30) roll over in
 * `Date.UTC` exactly as in `Date.parse`.
 */
function utcMillisOfCanonical(text: string): number | undefined {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[19] !== '.') return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const millis = digits(text, 20, 3);
  if (year < 0 || millis < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return undefined;
  }
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not, like Date.parse.
  return new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis)).setUTCFullYear(year, month - 1, day);
}
