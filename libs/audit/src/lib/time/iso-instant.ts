/** Date-time with an explicit offset: a bare date or a local time would mean different instants on different machines. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch of an ISO-8601 date-time with offset, or undefined when `value` is
 * not one (wrong form, or a form that denotes no instant, e.g. month 13). One parse: a replay
 * calls this for every event it reads.
 */
export function instantMillis(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : millis;
}

/** An ISO-8601 date-time with offset that denotes a real instant (what --at, --from and --to take). */
export function isIsoInstant(value: unknown): value is string {
  return instantMillis(value) !== undefined;
}
