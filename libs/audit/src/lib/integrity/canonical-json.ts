/**
 * Canonical JSON of a plain JSON value: object keys sorted recursively (by UTF-16 code units, as
 * `Array.prototype.sort` compares them), no whitespace, numbers and strings as `JSON.stringify`
 * writes them. Two structurally equal values always give the same text, whatever the key order
 * they were built or parsed with: that is what makes a hash over it reproducible by a verifier
 * that only has the stored (re-parsed) event.
 *
 * Only plain JSON is accepted (what the event store port allows in `data`): `undefined`,
 * functions, symbols, BigInt, non-finite numbers and non-plain objects throw, rather than being
 * dropped or turned into `null` silently as `JSON.stringify` would, because a value that does not
 * survive the store's round trip would make the hash unverifiable.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${path} is ${String(value)}, not a finite number`);
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? writeArray(value, path) : writeObject(value, path);
    default:
      throw new TypeError(`canonical JSON: ${path} is a ${typeof value}, not JSON`);
  }
}

function writeArray(items: readonly unknown[], path: string): string {
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) parts.push(write(items[i], `${path}[${i}]`));
  return `[${parts.join(',')}]`;
}

function writeObject(value: object, path: string): string {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`canonical JSON: ${path} is a ${value.constructor?.name ?? 'non-plain object'}, not a plain object`);
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    parts.push(`${JSON.stringify(key)}:${write(record[key], `${path}.${key}`)}`);
  }
  return `{${parts.join(',')}}`;
}
