/** Small set helpers over readonly string arrays; results are sorted so events compare stably. */

export function uniqueSorted(values: readonly string[]): readonly string[] {
  return [...new Set(values)].sort();
}

export function difference(a: readonly string[], b: readonly string[]): readonly string[] {
  const exclude = new Set(b);
  return uniqueSorted(a.filter((value) => !exclude.has(value)));
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = uniqueSorted(a);
  const right = uniqueSorted(b);
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/** Structural equality of plain JSON values (key order insensitive). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, index) => jsonEqual(value, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => jsonEqual(left[key], right[key]));
}

/** The fields whose values differ, as `{ changes: new values, previous: old values }` (both empty when equal). */
export function diffFields<T extends object, K extends keyof T>(
  previous: T,
  next: T,
  fields: readonly K[],
): { readonly changes: Partial<Pick<T, K>>; readonly previous: Partial<Pick<T, K>>; readonly changed: readonly K[] } {
  const changed = fields.filter((field) => !jsonEqual(previous[field], next[field]));
  const pick = (source: T) => Object.fromEntries(changed.map((field) => [field, source[field]])) as Partial<Pick<T, K>>;
  return { changes: pick(next), previous: pick(previous), changed };
}

export function intersection(a: readonly string[], b: readonly string[]): readonly string[] {
  const keep = new Set(b);
  return uniqueSorted(a.filter((value) => keep.has(value)));
}
