/*
 * Instants travel as ISO-8601 strings with an offset on every command and event; the domain never
 * reads a clock. These helpers parse, compare and shift the instants they are given, and print
 * them in one canonical form (UTC, milliseconds) so that equal moments are equal strings in events.
 */

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A date-time with an explicit offset (a local time would mean different moments in different services). */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

export const epochOf = (instant: string): number => Date.parse(instant);

/** The canonical text of a moment (UTC, milliseconds); deterministic, it does not read the clock. */
export const instantAt = (epochMillis: number): string => new Date(epochMillis).toISOString();

export const addMinutes = (instant: string, minutes: number): string => instantAt(epochOf(instant) + minutes * MINUTE_MS);

export const isBefore = (a: string, b: string): boolean => epochOf(a) < epochOf(b);

export const sameInstant = (a: string, b: string): boolean => epochOf(a) === epochOf(b);

/** A half-open window `[from, to)`: a session ending at 10:00 and one starting at 10:00 do not overlap. */
export interface TimeWindow {
  readonly from: string;
  readonly to: string;
}

/** Both ends are instants and the window is not empty. */
export const validWindow = (window: TimeWindow): boolean => isInstant(window.from) && isInstant(window.to) && isBefore(window.from, window.to);

export const overlaps = (a: TimeWindow, b: TimeWindow): boolean => isBefore(a.from, b.to) && isBefore(b.from, a.to);

/** The instant at or inside the window. */
export const contains = (window: TimeWindow, at: string): boolean => !isBefore(at, window.from) && isBefore(at, window.to);
