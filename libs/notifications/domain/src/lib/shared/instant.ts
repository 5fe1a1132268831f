/*
 * Instants travel as ISO-8601 strings with an offset on every command and event; the domain never
 * reads a clock. These helpers only parse, compare and shift the instants they are given.
 */

/** Date-time with an explicit offset: a local time would mean different moments in different services. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** True for an ISO-8601 date-time with an offset that denotes a real moment. */
export const isInstant = (value: unknown): value is string => typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));

/** Milliseconds since the epoch (callers validate with `isInstant` first). */
export const epochMs = (instant: string): number => Date.parse(instant);

/** The canonical form (UTC, milliseconds) of a moment; deterministic, it reads no clock. */
export const toInstant = (epochMillis: number): string => new Date(epochMillis).toISOString();

/** True when `a` is strictly before `b`, by the moment they denote (offsets may differ). */
export const isBefore = (a: string, b: string): boolean => epochMs(a) < epochMs(b);
