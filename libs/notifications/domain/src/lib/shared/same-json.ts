/*
 * Structural equality of plain JSON data regardless of object key order: a retried command whose
 * client serialised a map in another order is still the same command.
 */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return Object.fromEntries(keys.map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
}

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
